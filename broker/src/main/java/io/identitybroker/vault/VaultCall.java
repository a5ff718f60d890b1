package io.identitybroker.vault;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;

/** One request to Vault, given a client bound to the right token. */
@FunctionalInterface
public interface VaultCall<T> {
    T apply(Vault vault) throws VaultException;
}
