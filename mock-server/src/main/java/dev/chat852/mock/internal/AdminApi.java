package dev.chat852.mock.internal;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.ReceivedRequest;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiEnvelope;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The admin API under {@value #PREFIX}, for tests whose mock runs in another process (a container,
 * {@code chat852 mock}): each endpoint calls the {@link MockServer} method of the same meaning, so the
 * in-process and the remote way behave alike. Its own requests are not logged as received requests.
 *
 * <pre>
 * GET    /__admin/health                     {"status":"up","recordings":N}
 * GET    /__admin/requests                   {"requests":[ReceivedRequest.toJson(), ...]}
 * DELETE /__admin/requests                   MockServer.clearRequests()
 * POST   /__admin/recordings[?once=true]     body: a recording file; MockServer.add (enqueue with once)
 * POST   /__admin/reset                      MockServer.reset()
 * </pre>
 */
public final class AdminApi {
    /** Every admin path starts with this; the chat API has no such path. */
    public static final String PREFIX = "/__admin";
    public static final String HEALTH = PREFIX + "/health";
    public static final String REQUESTS = PREFIX + "/requests";
    public static final String RECORDINGS = PREFIX + "/recordings";
    public static final String RESET = PREFIX + "/reset";

    private AdminApi() {
    }

    /** The answer to an admin request (its path starts with {@link #PREFIX}). */
    public static FullHttpResponse answer(MockServer server, FullHttpRequest request, String path) {
        HttpMethod method = request.method();
        switch (path) {
            case HEALTH:
                return method.equals(HttpMethod.GET) ? health(server) : notAllowed(path, "GET");
            case REQUESTS:
                if (method.equals(HttpMethod.GET)) {
                    return requests(server);
                }
                if (method.equals(HttpMethod.DELETE)) {
                    int cleared = server.requests().size();
                    server.clearRequests();
                    return done("cleared " + cleared + " received request(s)");
                }
                return notAllowed(path, "GET, DELETE");
            case RECORDINGS:
                return method.equals(HttpMethod.POST) ? addRecording(server, request) : notAllowed(path, "POST");
            case RESET:
                if (!method.equals(HttpMethod.POST)) {
                    return notAllowed(path, "POST");
                }
                server.reset();
                return done("reset: added and enqueued recordings and received requests forgotten");
            default:
                return MockHandler.json(HttpResponseStatus.NOT_FOUND, ApiEnvelope.error(404, "chat852 mock: no admin path "
                        + path + "; there are GET " + HEALTH + ", GET and DELETE " + REQUESTS + ", POST " + RECORDINGS
                        + " (?once=true to answer once) and POST " + RESET));
        }
    }

    private static FullHttpResponse health(MockServer server) {
        return MockHandler.json(HttpResponseStatus.OK,
                "{\"status\":\"up\",\"recordings\":" + server.recordings().size() + "}");
    }

    private static FullHttpResponse requests(MockServer server) {
        List<ReceivedRequest> requests = server.requests();
        return MockHandler.json(HttpResponseStatus.OK, requests.stream().map(ReceivedRequest::toJson)
                .collect(Collectors.joining(",", "{\"requests\":[", "]}")));
    }

    private static FullHttpResponse addRecording(MockServer server, FullHttpRequest request) {
        List<String> once = new QueryStringDecoder(request.uri()).parameters().getOrDefault("once", List.of());
        boolean oneShot = once.contains("true");
        Recording recording;
        try {
            recording = Recording.parse(request.content().toString(StandardCharsets.UTF_8), "unnamed");
        } catch (IllegalArgumentException e) { // names the field that is wrong
            return MockHandler.json(HttpResponseStatus.BAD_REQUEST, ApiEnvelope.error(400, "chat852 mock: " + e.getMessage()));
        }
        if (oneShot) {
            server.enqueue(recording);
        } else {
            server.add(recording);
        }
        return done((oneShot ? "enqueued recording " : "added recording ") + recording.name());
    }

    /** A command's answer, in the upstream's envelope so that one reader handles every admin answer. */
    private static FullHttpResponse done(String what) {
        return MockHandler.json(HttpResponseStatus.OK, ApiEnvelope.error(200, "chat852 mock: " + what));
    }

    private static FullHttpResponse notAllowed(String path, String allowed) {
        FullHttpResponse response = MockHandler.json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                ApiEnvelope.error(405, "chat852 mock: " + path + " takes " + allowed));
        response.headers().set(HttpHeaderNames.ALLOW, allowed);
        return response;
    }
}
