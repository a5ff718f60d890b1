package io.identitybroker.agent;

import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain JDBC reads of {@link AgentLookups}, through {@link AgentService} (whose transaction
 * boundary gives them their connection), map every column exactly as the repositories do.
 */
class AgentLookupsTest extends BrokerTest {

    @Test
    void whenAnAgentAndItsBindingAreLookedUpThenTheyEqualWhatTheRepositoriesRead() {
        EnrolledAgent enrolled = EnrolledAgent.enroll(fixtures, "acme");
        AgentService agents = broker.context().getBean(AgentService.class);
        String x5t = enrolled.x5t();

        Optional<Agent> agent = agents.findById(enrolled.agentId());
        assertTrue(agent.isPresent());
        assertEquals(broker.context().getBean(AgentRepository.class).findById(enrolled.agentId()), agent);

        Optional<CertificateBinding> binding = agents.bindingByThumbprint(x5t);
        assertTrue(binding.isPresent());
        assertEquals(broker.context().getBean(CertificateBindingRepository.class).findById(binding.get().id()), binding);
        assertEquals(enrolled.agentId(), binding.get().agentId());
    }

    @Test
    void whenNoRowMatchesThenTheLookupIsEmpty() {
        AgentService agents = broker.context().getBean(AgentService.class);

        assertEquals(Optional.empty(), agents.findById("0190d6a4-0000-7000-8000-000000000000"));
        assertEquals(Optional.empty(), agents.bindingByThumbprint("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertEquals(Optional.empty(), agents.boundCertificate("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    }
}
