package io.identitybroker;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures;
import io.identitybroker.anchor.VaultKvChainAnchors;
import io.identitybroker.federation.VaultKvTrustDomainDeclarations;
import io.identitybroker.oauth.TransitKeyRing;
import io.identitybroker.oauth.VaultTransitTokenSigner;
import io.identitybroker.pki.VaultPkiBackend;
import io.identitybroker.security.AdminAuthorizer;
import io.identitybroker.tenant.VaultKvTenantDeclarations;
import io.identitybroker.vault.AdminVault;
import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultClients;
import io.identitybroker.vault.VaultKvFolder;
import io.identitybroker.vault.VaultSession;
import io.micronaut.http.annotation.Controller;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The design rules of docs/architecture.md, checked on the compiled classes of the broker (not its
 * tests) in a second or two, without Vault or a database. Each rule says in its {@code because}
 * which rule a violation breaks and why the rule exists; the layer table below is the one in the doc.
 */
@AnalyzeClasses(packages = "io.identitybroker",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
    private static final String BASE = "io.identitybroker.";

    /** One layer: a name and its packages (below {@code io.identitybroker}; "" is the root package). */
    private record Layer(String name, String... packages) {
        String[] identifiers() {
            return Arrays.stream(packages).map(p -> p.isEmpty() ? "io.identitybroker" : BASE + p + "..").toArray(String[]::new);
        }
    }

    /** Bottom to top. A package may use its own layer and the layers below it, never one above. */
    private static final List<Layer> LAYERS = List.of(
            new Layer("Foundation", "ids", "crypto", "cache", "concurrent", "config", "api", "http", "database"),
            new Layer("Vault", "vault"),
            new Layer("PKI", "pki"),
            new Layer("Security", "security"),
            new Layer("Audit", "audit"),
            new Layer("Tenant", "tenant"),
            new Layer("mTLS", "mtls"),
            new Layer("Issuance", "issuance"),
            new Layer("Agent", "agent"),
            new Layer("Enrollment", "enrollment"),
            new Layer("Federation", "federation"),
            new Layer("OAuth", "oauth"),
            new Layer("Edge", "spiffe", "est", "anchor", "metrics", ""));

    /** The Vault adapters outside the vault package: each sits next to the port it implements. */
    private static final Class<?>[] VAULT_ADAPTERS = {
            VaultPkiBackend.class,                // pki: <tenant mount>/sign, /revoke, /cert/ca_chain, /roles, /config/urls
            VaultTransitTokenSigner.class,        // oauth: transit/sign/<key> (access tokens and JWT-SVIDs)
            TransitKeyRing.class,                 // oauth: transit/keys/<key> (verification keys)
            VaultKvTenantDeclarations.class,      // tenant: KV v2 tenant declarations
            VaultKvTrustDomainDeclarations.class, // federation: KV v2 trust domain declarations
            VaultKvChainAnchors.class,            // anchor: KV v2 audit chain anchors
            AdminAuthorizer.class,                // security: an admin token's lookup-self and capabilities
    };

    /** The classes through which a Vault request is made (besides the client library itself). */
    private static final Set<Class<?>> VAULT_REQUEST_BUILDERS = Set.of(
            BrokerVault.class, AdminVault.class, VaultClients.class, VaultSession.class, VaultKvFolder.class);

    @ArchTest
    static final ArchRule LAYERS_ONLY_LOOK_DOWN = layering()
            .because("of the one-way layering of docs/architecture.md: a package may use only its own layer and those "
                    + "below it, so that a capability can be read and changed without the ones above it; a new package "
                    + "must be given a layer there and in ArchitectureTest.LAYERS");

    @ArchTest
    static final ArchRule PACKAGES_FORM_NO_CYCLE = slices().matching("io.identitybroker.(*)..")
            .should().beFreeOfCycles()
            .because("packages must not depend on each other in a loop (not even inside one layer): a loop makes "
                    + "every package in it a part of every other; see docs/architecture.md");

    @ArchTest
    static final ArchRule ONLY_NAMED_ADAPTERS_BUILD_VAULT_REQUESTS = noClasses()
            .that().resideOutsideOfPackage("io.identitybroker.vault..")
            .and(not(belongToAnyOf(VAULT_ADAPTERS)))
            .should().dependOnClassesThat().resideInAPackage("io.github.jopenlibs.vault..")
            .orShould().accessTargetWhere(ownedByAnyOf(VAULT_REQUEST_BUILDERS))
            .because("only the vault package and the named adapters next to their ports (ArchitectureTest.VAULT_ADAPTERS, "
                    + "listed in docs/architecture.md) build Vault requests; everything else goes through a port "
                    + "such as PkiBackend or TokenSigner, so Vault's paths and failure rules live in one place each");

    @ArchTest
    static final ArchRule REPOSITORIES_STAY_IN_THEIR_PACKAGE = classes()
            .that().haveSimpleNameEndingWith("Repository")
            .should(beUsedOnlyInsideTheirOwnPackage())
            .because("a capability owns its tables: other packages ask its service, so its invariants (conditional "
                    + "updates, row locks, audit in the same transaction) cannot be bypassed");

    @ArchTest
    static final ArchRule CONTROLLERS_HOLD_NO_TRANSACTION_LOGIC = noClasses()
            .that().areAnnotatedWith(Controller.class)
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.transaction..", "javax.transaction..",
                    "io.micronaut.transaction..", "io.micronaut.data.connection..", "java.sql..", "javax.sql..")
            .because("controllers translate HTTP to a service call and back; transactions (@Transactional, "
                    + "TransactionOperations, Connection) belong in the service, where the audit event joins them");

    private static Architectures.LayeredArchitecture layering() {
        Architectures.LayeredArchitecture architecture = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (Layer layer : LAYERS) {
            architecture = architecture.layer(layer.name()).definedBy(layer.identifiers());
        }
        List<String> below = new ArrayList<>();
        for (Layer layer : LAYERS) {
            architecture = below.isEmpty()
                    ? architecture.whereLayer(layer.name()).mayNotAccessAnyLayer()
                    : architecture.whereLayer(layer.name()).mayOnlyAccessLayers(below.toArray(String[]::new));
            below.add(layer.name());
        }
        return architecture;
    }

    private static DescribedPredicate<JavaAccess<?>> ownedByAnyOf(Set<Class<?>> owners) {
        Set<String> names = Set.copyOf(owners.stream().map(Class::getName).toList());
        return DescribedPredicate.describe("a member of " + owners.stream().map(Class::getSimpleName).sorted().toList(),
                access -> names.contains(access.getTargetOwner().getName()));
    }

    private static ArchCondition<JavaClass> beUsedOnlyInsideTheirOwnPackage() {
        return new ArchCondition<>("be used only inside their own package") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                for (Dependency dependency : repository.getDirectDependenciesToSelf()) {
                    if (!dependency.getOriginClass().getPackageName().equals(repository.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
