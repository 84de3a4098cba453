package dev.registrymesh.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void plainTextStaysAsItIs() {
        assertEquals("alice/app", LogSafe.escape("alice/app"));
        assertEquals("null", LogSafe.escape(null));
    }

    @Test
    void lineBreaksAndControlCharactersCannotForgeLines() {
        String forged = LogSafe.escape("mallory\r\n2026-11-30 INFO [auth] login for admin succeeded\u0000\u001b[31m\u2028");
        assertFalse(forged.contains("\n"));
        assertFalse(forged.contains("\r"));
        assertFalse(forged.contains("\u0000"));
        assertFalse(forged.contains("\u001b"));
        assertFalse(forged.contains("\u2028"));
        assertEquals("mallory\\r\\n2026-11-30 INFO [auth] login for admin succeeded\\u0000\\u001b[31m\\u2028", forged);
    }

    @Test
    void escapingTwiceChangesNothing() {
        String once = LogSafe.escapeLine("a\r\nb\\n");
        assertEquals("a\\r\\nb\\n", once);
        assertEquals(once, LogSafe.escapeLine(once));
    }

    @Test
    void longValuesAreCut() {
        String s = LogSafe.escape("x".repeat(10_000));
        assertTrue(s.length() < 300);
        assertTrue(s.endsWith("(10000 chars)"));
    }
}
