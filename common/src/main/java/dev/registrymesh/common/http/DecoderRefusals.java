package dev.registrymesh.common.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnectionHandler;
import io.vertx.core.http.impl.HttpServerWorker;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * Answers what Netty's HTTP decoder refuses before any route runs with the spec's JSON error, like every other
 * refusal: a request line over {@code quarkus.http.limits.max-initial-line-length} (414), headers over
 * {@code max-header-size} (431), a malformed request line, header or Content-Length (400). The connection is
 * closed after the answer: the decoder has lost the request's framing.
 * <p>
 * Vert.x has the hook for this ({@code HttpServer.invalidRequestHandler}), but Quarkus 3.33 creates and starts its
 * HTTP servers without offering it (quarkusio/quarkus#55082). Vert.x copies the hook into each server's connection
 * handler when the server starts listening, so once Quarkus' servers listen, this sets it there, by reflection into
 * Quarkus' and Vert.x's internals. Found by CDI in every service (common's beans.xml). Should an upgrade change
 * those internals, it logs a warning and the HTTP layer keeps Vert.x's bodiless answers; the services'
 * HostileRequests tests then fail.
 */
@Singleton
public class DecoderRefusals {
    private static final Logger LOG = Logger.getLogger(DecoderRefusals.class);
    /** The verticle, one per event loop, that holds Quarkus' main HTTP, HTTPS and domain socket servers. */
    private static final String QUARKUS_SERVER_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";
    /** Quarkus announces its servers when the first one listens: the others follow within milliseconds. */
    private static final long RETRY_MILLIS = 20;
    private static final int LAST_ATTEMPT = 500;
    private static final long LAST_LOOK_MILLIS = 1000;

    @Inject
    Vertx vertx;

    void httpServerStarted(@ObservesAsync HttpServerStart started) {
        attempt(1);
    }

    void httpsServerStarted(@ObservesAsync HttpsServerStart started) {
        attempt(1);
    }

    /** The answer to one refused request. */
    private static void answer(HttpServerRequest request) {
        OciException error = errorFor(request.decoderResult().cause());
        request.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(OciErrorReplies.API_VERSION_HEADER, OciErrorReplies.API_VERSION)
                .putHeader("Connection", "close")
                .end(request.method() == HttpMethod.HEAD ? "" : error.body().toJson())
                .onComplete(sent -> request.connection().close());
    }

    private static OciException errorFor(Throwable cause) {
        String reason = cause == null || cause.getMessage() == null ? "not a valid HTTP request" : cause.getMessage();
        if (cause instanceof TooLongHttpLineException) {
            return new OciException(ErrorCode.UNSUPPORTED, 414, "request line too long: " + reason, null);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new OciException(ErrorCode.UNSUPPORTED, 431, "request headers too large: " + reason, null);
        }
        return new OciException(ErrorCode.UNSUPPORTED, 400, "malformed request: " + reason, null);
    }

    private void attempt(int attempt) {
        Servers servers;
        try {
            servers = installOnQuarkusServers((VertxInternal) vertx, DecoderRefusals::answer);
        } catch (ReflectiveOperationException e) {
            LOG.warnf("cannot give the HTTP servers the spec's answer to malformed requests (Quarkus or Vert.x changed): %s", e.toString());
            return;
        } catch (RuntimeException e) {
            // A deployment changing while it is read: look again.
            servers = new Servers(0, 1, e);
        }
        boolean complete = servers.listening() > 0 && servers.starting() == 0;
        if (!complete && attempt < LAST_ATTEMPT) {
            vertx.setTimer(RETRY_MILLIS, id -> attempt(attempt + 1));
        } else if (!complete) {
            LOG.warnf(servers.failure(), "malformed requests get the spec's answer on %d HTTP servers; %d did not start listening",
                    servers.listening(), servers.starting());
        } else if (attempt < LAST_ATTEMPT) {
            // A safety net: Quarkus' servers never change once they all listen.
            vertx.setTimer(LAST_LOOK_MILLIS, id -> attempt(LAST_ATTEMPT));
        } else {
            LOG.debugf("malformed requests get the spec's answer on %d HTTP servers", servers.listening());
        }
    }

    /**
     * How many of Quarkus' HTTP servers listen (and got the handler), and how many are still to start: servers
     * created but not listening, and verticles of the deployment not started or not listed yet.
     */
    private record Servers(int listening, int starting, RuntimeException failure) {
    }

    private static Servers installOnQuarkusServers(VertxInternal vertx, Handler<HttpServerRequest> handler)
            throws ReflectiveOperationException {
        Field childHandler = accessible(TCPServerBase.class.getDeclaredField("childHandler"));
        Field connectionHandler = accessible(HttpServerWorker.class.getDeclaredField("connectionHandler"));
        Field invalidRequestHandler = accessible(HttpServerConnectionHandler.class.getDeclaredField("invalidRequestHandler"));
        int listening = 0;
        int starting = 0;
        for (String id : vertx.deploymentIDs()) {
            Deployment deployment = vertx.getDeployment(id);
            if (deployment == null) {
                continue;
            }
            int verticles = 0;
            for (Verticle verticle : deployment.getVerticles()) {
                if (!verticle.getClass().getName().equals(QUARKUS_SERVER_VERTICLE)) {
                    continue;
                }
                verticles++;
                int created = 0;
                for (Field field : verticle.getClass().getDeclaredFields()) {
                    Object server = field.getType() == HttpServer.class ? accessible(field).get(verticle) : null;
                    if (server == null) {
                        continue; // not configured (HTTPS, a domain socket), or the verticle has not started
                    }
                    created++;
                    Object worker = childHandler.get(server); // set when the server starts listening
                    if (worker == null) {
                        starting++;
                    } else {
                        invalidRequestHandler.set(connectionHandler.get(worker), handler);
                        listening++;
                    }
                }
                if (created == 0) {
                    starting++;
                }
            }
            if (verticles > 0) {
                // One verticle per event loop: Vert.x may list a deployment before all of them.
                starting += Math.max(0, deployment.deploymentOptions().getInstances() - verticles);
            }
        }
        return new Servers(listening, starting, null);
    }

    private static Field accessible(Field field) {
        field.setAccessible(true);
        return field;
    }
}
