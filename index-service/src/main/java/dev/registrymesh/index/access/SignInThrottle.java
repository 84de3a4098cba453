package dev.registrymesh.index.access;

import dev.registrymesh.common.LogSafe;
import dev.registrymesh.common.auth.LoginThrottle;
import dev.registrymesh.index.api.ApiException;
import dev.registrymesh.index.config.MeshConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one {@link LoginThrottle} of this node, shared by every place that checks a secret (the API's
 * Authorization header and the console's sign-in form), so that guessing through one does not reset or dodge
 * the other. Per account and per client address; 429 with Retry-After while a caller must wait.
 */
@ApplicationScoped
public class SignInThrottle {
    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);

    @Inject
    MeshConfig config;

    private LoginThrottle throttle;

    @PostConstruct
    void init() {
        MeshConfig.Throttle t = config.index().throttle();
        throttle = new LoginThrottle(new LoginThrottle.Settings(t.accountFreeFailures(), t.addressFreeFailures(), t.baseDelay(),
                t.accountMaxDelay(), t.addressMaxDelay(), t.forgetAfter()), Clock.systemUTC());
    }

    /**
     * Runs {@code check} unless {@code account} (null when the credential names none, as a bearer token) or
     * {@code address} must wait; a 401 from it counts as a failure, success clears the caller's record.
     */
    public Caller attempt(String account, String address, Supplier<Caller> check) {
        Optional<Duration> wait = throttle.retryAfter(account, address);
        if (wait.isPresent()) {
            throw ApiException.tooManyRequests("too many failed sign-ins, retry later", wait.get());
        }
        try {
            Caller caller = check.get();
            throttle.success(account, address);
            return caller;
        } catch (ApiException e) {
            if (e.status() == 401) {
                throttle.failure(account, address);
                LOG.infof("failed sign-in%s from %s", account == null ? " with a bearer token" : " for " + LogSafe.escape(account),
                        LogSafe.escape(address));
            }
            throw e;
        }
    }
}
