package dev.registrymesh.auth.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Slows down password guessing, per account and per client address. The first failures are free; after
 * that each failure doubles the wait before the next attempt (capped), and while waiting every attempt, a
 * correct one too, gets 429 with Retry-After. There is no permanent lockout: the wait is capped, and a
 * record is forgotten {@code forgetAfter} after its last failure. A success clears the account's record.
 */
public final class LoginThrottle {

    public record Settings(int accountFreeFailures, int addressFreeFailures, Duration baseDelay,
                           Duration accountMaxDelay, Duration addressMaxDelay, Duration forgetAfter) {
    }

    private record Record(int failures, Instant blockedUntil) {
    }

    private final Settings settings;
    private final Clock clock;
    private final Cache<String, Record> accounts;
    private final Cache<String, Record> addresses;

    public LoginThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.accounts = cache(settings, clock);
        this.addresses = cache(settings, clock);
    }

    private static Cache<String, Record> cache(Settings settings, Clock clock) {
        return Caffeine.newBuilder().expireAfterWrite(settings.forgetAfter()).maximumSize(100_000)
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    /** How long the caller must wait before trying again, or empty when an attempt may be made now. */
    public Optional<Duration> retryAfter(String account, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (Record r : new Record[] {account == null ? null : accounts.getIfPresent(key(account)),
                address == null ? null : addresses.getIfPresent(address)}) {
            if (r != null && r.blockedUntil().isAfter(now)) {
                Duration d = Duration.between(now, r.blockedUntil());
                wait = d.compareTo(wait) > 0 ? d : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failure(String account, String address) {
        if (account != null) {
            accounts.asMap().compute(key(account), (k, r) -> next(r, settings.accountFreeFailures(), settings.accountMaxDelay()));
        }
        if (address != null) {
            addresses.asMap().compute(address, (k, r) -> next(r, settings.addressFreeFailures(), settings.addressMaxDelay()));
        }
    }

    public void success(String account) {
        if (account != null) {
            accounts.invalidate(key(account));
        }
    }

    private Record next(Record previous, int free, Duration max) {
        int failures = previous == null ? 1 : previous.failures() + 1;
        Instant now = clock.instant();
        if (failures <= free) {
            return new Record(failures, now);
        }
        int exponent = Math.min(failures - free - 1, 30);
        Duration delay = settings.baseDelay().multipliedBy(1L << exponent);
        if (delay.compareTo(max) > 0) {
            delay = max;
        }
        return new Record(failures, now.plus(delay));
    }

    private static String key(String account) {
        return account.toLowerCase(Locale.ROOT);
    }
}
