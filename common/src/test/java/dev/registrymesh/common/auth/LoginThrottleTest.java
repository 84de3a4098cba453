package dev.registrymesh.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginThrottleTest {
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        public ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(ZoneId zone) { return this; }
        public Instant instant() { return now; }
        void advance(long seconds) { now = now.plusSeconds(seconds); }
    }

    final TestClock clock = new TestClock();
    final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(3, 10, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofSeconds(60), Duration.ofMinutes(15)), clock);

    long wait(String account, String address) {
        return throttle.retryAfter(account, address).map(Duration::toSeconds).orElse(0L);
    }

    /** failures in a row on one account (each from its own address) -> wait afterwards (doubling, capped at 8 s). */
    @ParameterizedTest
    @CsvSource({"1,0", "3,0", "4,1", "5,2", "6,4", "7,8", "8,8", "50,8"})
    void accountWaitDoublesUpToTheCap(int failures, long expectedWait) {
        for (int i = 0; i < failures; i++) {
            throttle.failure("Bob", "10.0.0." + i);
        }
        assertEquals(expectedWait, wait("bob", "10.0.0.0"), "account names are case-insensitive");
        assertEquals(expectedWait, wait("bob", null));
    }

    /** A third party cannot hold an account at 429: an address that has not failed on it may always try. */
    @Test
    void anAddressWithoutRecentFailuresIsNotHeldBackByTheAccount() {
        for (int i = 0; i < 50; i++) {
            throttle.failure("bob", "10.0.0.66");
        }
        assertEquals(0, wait("bob", "10.0.0.7"), "the owner's address never failed on bob");
        assertEquals(60, wait("bob", "10.0.0.66"), "the guesser's address stays held back (account and address)");
        throttle.failure("bob", "10.0.0.8");
        assertEquals(8, wait("bob", "10.0.0.8"), "one failure from a fresh address puts it under the account's wait");
        throttle.success("bob", "10.0.0.8");
        assertEquals(0, wait("bob", "10.0.0.8"), "a correct password clears that address for the account");
        assertEquals(60, wait("bob", "10.0.0.66"));
    }

    @Test
    void addressIsThrottledAcrossAccounts() {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            throttle.failure("user" + i, "10.9.9.9");
            waits.add(wait("someone-new", "10.9.9.9"));
        }
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 2L), waits);
        assertEquals(0, wait("someone-new", "10.9.9.8"));
    }

    @Test
    void noPermanentLockout() {
        for (int i = 0; i < 100; i++) {
            throttle.failure("bob", null);
        }
        assertEquals(8, wait("bob", null));
        clock.advance(9);
        assertEquals(0, wait("bob", null), "the cap bounds the wait");
        clock.advance(15 * 60);
        throttle.failure("bob", null);
        assertEquals(0, wait("bob", null), "the record was forgotten; free failures again");
    }

    @Test
    void successWithoutAnAddressClearsTheAccount() {
        for (int i = 0; i < 5; i++) {
            throttle.failure("bob", null);
        }
        clock.advance(10);
        throttle.success("bob", null);
        throttle.failure("bob", null);
        assertEquals(0, wait("bob", null));
    }
}
