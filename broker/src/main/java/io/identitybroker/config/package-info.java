/**
 * What every settings group shares: the constraints that {@code jakarta.validation} lacks (duration
 * bounds, a readable file), {@link io.identitybroker.config.InvalidSettingException} for rules a
 * constraint cannot state, and {@link io.identitybroker.config.StartupFailure}, which turns a
 * refused setting into the one line an operator reads. A leaf: it uses no other broker package.
 */
package io.identitybroker.config;
