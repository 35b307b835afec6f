package dev.chat852.mock.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import dev.chat852.protocol.OpenAiApi;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serves one connection of the mock server: the chat endpoint, CORS preflights, and clear errors for
 * everything else. One response at a time per connection: reading pauses while a response is
 * replayed, and pipelined requests wait their turn.
 */
public final class MockHandler extends OneAtATimeHandler {
    /** How many recordings a 404 lists before it only counts them. */
    private static final int LISTED_RECORDINGS = 100;
    private static final System.Logger LOG = System.getLogger("dev.chat852.mock");

    private final MockBackend backend;
    private TrackedConnection connection;
    private Replay current;

    public MockHandler(MockBackend backend) {
        this.backend = backend;
    }

    private void finished(ChannelHandlerContext ctx, boolean keepOpen) {
        current = null;
        answered(ctx, keepOpen);
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            respond(ctx, json(HttpResponseStatus.BAD_REQUEST, ApiEnvelope.error(400, "chat852 mock: malformed HTTP request")), false);
            return;
        }
        if (request.method().equals(HttpMethod.OPTIONS)) {
            respond(ctx, Cors.preflight(request), keepAlive);
            return;
        }
        String path = path(request.uri());
        if (path == null) {
            respond(ctx, json(HttpResponseStatus.BAD_REQUEST, ApiEnvelope.error(400,
                    "chat852 mock: the request path is not valid percent-encoding")), false);
            return;
        }
        if (path.startsWith(AdminApi.PREFIX)) { // the admin API: not a chat request, not logged
            respond(ctx, AdminApi.answer(backend.server(), request, path), keepAlive);
            return;
        }
        if (path.equals(OpenAiApi.PATH)) { // the OpenAI-compatible dialect: its own requests, errors and recordings
            OpenAiEndpoint.Answer answer = OpenAiEndpoint.answer(backend, request, path);
            if (answer.plan() == null) {
                respond(ctx, answer.response(), keepAlive);
            } else {
                replay(ctx, answer.plan(), answer.options(), keepAlive);
            }
            return;
        }
        if (!path.equals(ChatApi.PATH)) {
            backend.received(request.method().name(), path, Redaction.headers(request.headers(), null), null);
            respond(ctx, json(HttpResponseStatus.NOT_FOUND, ApiEnvelope.error(404,
                    "chat852 mock: no such path " + path + "; the chat endpoint is POST " + ChatApi.PATH)), keepAlive);
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            backend.received(request.method().name(), path, Redaction.headers(request.headers(), null), null);
            FullHttpResponse response = json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    ApiEnvelope.error(405, "chat852 mock: " + ChatApi.PATH + " takes POST"));
            response.headers().set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
            respond(ctx, response, keepAlive);
            return;
        }
        ApiRequest chat = ApiRequest.parse(ByteBufUtil.getBytes(request.content()));
        Map<String, List<String>> headers = Redaction.headers(request.headers(), chat.token());
        if (chat.problem().isPresent()) {
            backend.received("POST", path, headers, chat);
            respond(ctx, json(HttpResponseStatus.BAD_REQUEST, ApiEnvelope.error(400, "chat852 mock: " + chat.problem().get())),
                    keepAlive);
            return;
        }
        if (!backend.acceptsToken(chat.token())) {
            backend.received("POST", path, headers, chat);
            LOG.log(System.Logger.Level.DEBUG, "chat852 mock: wrong or missing token ({0})", chat);
            respond(ctx, json(HttpResponseStatus.OK, ApiEnvelope.error(401, "token无效")), keepAlive);
            return;
        }
        MockResponse answer = backend.answer(path, headers, chat);
        if (answer == null) {
            LOG.log(System.Logger.Level.INFO, "chat852 mock: no recording matches {0}", chat);
            respond(ctx, json(HttpResponseStatus.NOT_FOUND, unmatched(chat)), keepAlive);
            return;
        }
        RecordedResponse response = answer.response();
        boolean chunked = true;
        if (!chat.stream() && response.status() == 200 && !response.isJson()) {
            response = NonStream.wrap(response, chat);
            chunked = false;
        }
        List<Fault> faults = new ArrayList<>(response.faults());
        faults.addAll(backend.faults());
        answer.holds().forEach(h -> faults.add(Fault.stall(h.afterBytes(), 0))); // a segment ends at each gate
        MockResponse.Framing framing = answer.framing()
                .orElse(chunked ? MockResponse.Framing.CHUNKED : MockResponse.Framing.CONTENT_LENGTH);
        replay(ctx, ReplayPlan.of(response, framing, backend.speed(), backend.rechunk(), faults), answer, keepAlive);
    }

    private void replay(ChannelHandlerContext ctx, ReplayPlan plan, MockResponse options, boolean keepAlive) {
        current = new Replay(ctx, plan, options, keepAlive, keepOpen -> finished(ctx, keepOpen));
        current.start();
    }

    /** The decoded path of a request target, or null if its percent-encoding is broken ({@code /a%Zz}). */
    static String path(String uri) {
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The 404 for an unmatched request: what was asked, and what could have answered. */
    private String unmatched(ApiRequest chat) {
        ObjectNode body = new ApiEnvelope(404, "chat852 mock: no recording matches model=" + chat.model() + " with these "
                + chat.messages().size() + " message(s)", NullNode.getInstance()).toJson();
        ObjectNode asked = body.putObject("request");
        asked.put("model", chat.model());
        asked.set("messages", Jsons.tree(chat.messages()));
        ArrayNode list = body.putArray("recordings");
        List<Recording> recordings = backend.recordings();
        for (Recording r : recordings.subList(0, Math.min(LISTED_RECORDINGS, recordings.size()))) {
            ObjectNode entry = list.addObject();
            entry.put("name", r.name());
            if (r.request().isAny()) {
                entry.put("request", "any");
            } else {
                ObjectNode matcher = entry.putObject("request");
                r.request().model().ifPresent(m -> matcher.put("model", m));
                r.request().messages().ifPresent(ms -> matcher.set("messages", Jsons.tree(ms)));
            }
        }
        if (recordings.size() > LISTED_RECORDINGS) {
            body.put("moreRecordings", recordings.size() - LISTED_RECORDINGS);
        }
        return Jsons.write(body);
    }

    static FullHttpResponse json(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ChatApi.JSON_CONTENT_TYPE);
        return response;
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        Cors.addTo(response.headers());
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(f -> {
            if (f.isSuccess() && !keepAlive) {
                TrackedConnection.serverCloses(ctx.channel());
            }
            finished(ctx, f.isSuccess() && keepAlive);
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = backend.connected(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    protected void connectionClosed() {
        if (connection != null) {
            connection.closed();
        }
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof DecoderException
                || cause instanceof PrematureChannelClosureException) {
            // Clients going away mid-request or mid-stream, or sending what HTTP does not allow: their doing.
            LOG.log(System.Logger.Level.DEBUG, "chat852 mock: connection error: {0}", cause.getClass().getSimpleName());
        } else {
            // Anything else is a bug that leaves this client without an answer: said out loud, not swallowed.
            LOG.log(System.Logger.Level.WARNING, "chat852 mock: closing a connection after an unexpected error", cause);
        }
        ctx.close();
    }
}
