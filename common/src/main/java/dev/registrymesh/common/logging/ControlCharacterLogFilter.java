package dev.registrymesh.common.logging;

import dev.registrymesh.common.LogSafe;
import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Escapes control characters in every log message, so that text a caller controls (a user name with CR LF, a
 * path, an upstream's error message) can never forge a log line, wherever it is logged. Stack traces are not
 * part of the message and keep their lines. Each service turns it on with
 * {@code quarkus.log.console.filter=escape-control-characters}.
 */
@LoggingFilter(name = "escape-control-characters")
public final class ControlCharacterLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String safe = LogSafe.escapeLine(message);
            if (safe != null && !safe.equals(message)) {
                ext.setMessage(safe, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        return true;
    }
}
