package dev.registrymesh.common.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Slows down guessing of passwords and secrets, per account and per client address; every place that checks
 * a password or a secret uses it. The first failures are free; after that each failure doubles the wait
 * before the next attempt (capped), and while waiting, attempts get 429 with Retry-After. There is no
 * permanent lockout: the wait is capped, and a record is forgotten {@code forgetAfter} after its last failure.
 *
 * <p>An account's wait only holds back the addresses that failed on that account recently: a third party
 * guessing from elsewhere cannot keep the owner out, and a correct credential from an address with no recent
 * failures always gets through. The guesser's own addresses stay held back, by the account and by their own
 * address records, so a guesser gains one attempt per fresh address, no more.
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
    /** account NUL address: which addresses failed on which account, recently. */
    private final Cache<String, Boolean> failedPairs;

    public LoginThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.accounts = cache(settings, clock);
        this.addresses = cache(settings, clock);
        this.failedPairs = cache(settings, clock);
    }

    private static <V> Cache<String, V> cache(Settings settings, Clock clock) {
        return Caffeine.newBuilder().expireAfterWrite(settings.forgetAfter()).maximumSize(100_000)
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    /** How long the caller must wait before trying again, or empty when an attempt may be made now. */
    public Optional<Duration> retryAfter(String account, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        Record byAccount = account == null ? null : accounts.getIfPresent(key(account));
        if (byAccount != null && address != null && failedPairs.getIfPresent(pair(account, address)) == null) {
            byAccount = null; // this address has not failed on this account: let it try
        }
        Record byAddress = address == null ? null : addresses.getIfPresent(address);
        for (Record r : new Record[] {byAccount, byAddress}) {
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
            if (address != null) {
                failedPairs.put(pair(account, address), Boolean.TRUE);
            }
        }
        if (address != null) {
            addresses.asMap().compute(address, (k, r) -> next(r, settings.addressFreeFailures(), settings.addressMaxDelay()));
        }
    }

    /**
     * A correct credential: the address is in the clear for this account again. The account's own record stays
     * (a guesser elsewhere is still held back); with no address known, the account record is cleared.
     */
    public void success(String account, String address) {
        if (account == null) {
            return;
        }
        if (address == null) {
            accounts.invalidate(key(account));
        } else {
            failedPairs.invalidate(pair(account, address));
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

    private static String pair(String account, String address) {
        return key(account) + '\u0000' + address;
    }
}
