package io.identitybroker.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that needs neither Vault nor a database nor a broker: pure rules over values made
 * in the test (real keys, real signatures). {@code mvn -B -o -q -pl broker test -Dgroups=fast} runs
 * only these, in seconds. A class carrying it must not extend {@link BrokerTest} or use
 * {@link VaultExtension}, {@link TestVault} or {@link TestPostgres}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(FastTest.TAG)
public @interface FastTest {
    String TAG = "fast";
}
