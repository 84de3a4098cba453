package dev.registrymesh.common.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OciErrorRepliesTest {

    /** An object store or service that cannot be reached is 503 (retry later), wherever the cause is wrapped. */
    @Test
    void aBackendThatCannotBeReachedIsUnavailableNotABug() {
        assertTrue(OciErrorReplies.unreachable(new ConnectException("Connection refused")));
        assertTrue(OciErrorReplies.unreachable(new CompletionException(new RuntimeException("sdk", new ConnectException("refused")))));
        assertTrue(OciErrorReplies.unreachable(new UncheckedIOException(new java.net.SocketTimeoutException("read timed out"))));
        assertFalse(OciErrorReplies.unreachable(new IllegalStateException("a bug")));
        assertFalse(OciErrorReplies.unreachable(new UncheckedIOException(new IOException("disk full"))));
        assertFalse(OciErrorReplies.unreachable(null));
    }
}
