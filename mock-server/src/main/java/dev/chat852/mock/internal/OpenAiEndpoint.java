package dev.chat852.mock.internal;

import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.OpenAiApi;
import dev.chat852.protocol.OpenAiError;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The mock's OpenAI-compatible endpoint, {@code POST /v1/chat/completions}: answered from the recordings
 * of the OpenAI dialect, with errors in OpenAI's form ({@code {"error": {"message", "type", "param",
 * "code"}}} with the status), the key checked as {@code Authorization: Bearer}. Works out what to send;
 * {@link MockHandler} sends it.
 */
final class OpenAiEndpoint {
    private static final System.Logger LOG = System.getLogger("dev.chat852.mock");
    /** How many recordings an unmatched request's error names before it only counts them. */
    private static final int LISTED_RECORDINGS = 20;

    /** What to send: a whole response, or a replay with the answer's wire options. */
    record Answer(FullHttpResponse response, ReplayPlan plan, MockResponse options) {
    }

    private OpenAiEndpoint() {
    }

    static Answer answer(MockBackend backend, FullHttpRequest request, String path) {
        if (!request.method().equals(HttpMethod.POST)) {
            backend.received(request.method().name(), path, Redaction.headers(request.headers(), null), null);
            FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "chat852 mock: " + OpenAiApi.PATH
                    + " takes POST", "invalid_request_error", null);
            response.headers().set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
            return new Answer(response, null, null);
        }
        ApiRequest chat = OpenAiApi.parse(ByteBufUtil.getBytes(request.content()),
                request.headers().get(HttpHeaderNames.AUTHORIZATION));
        Map<String, List<String>> headers = Redaction.headers(request.headers(), chat.token());
        if (chat.problem().isPresent()) {
            backend.received("POST", path, headers, chat);
            return new Answer(error(HttpResponseStatus.BAD_REQUEST, "chat852 mock: " + chat.problem().get(),
                    "invalid_request_error", null), null, null);
        }
        if (!backend.acceptsToken(chat.token())) {
            backend.received("POST", path, headers, chat);
            LOG.log(System.Logger.Level.DEBUG, "chat852 mock: wrong or missing key ({0})", chat);
            return new Answer(error(HttpResponseStatus.UNAUTHORIZED, "Incorrect API key provided",
                    "invalid_request_error", "invalid_api_key"), null, null);
        }
        MockResponse answer = backend.answer(path, headers, chat); // the dispatcher's, or a recording of the dialect
        if (answer == null) {
            LOG.log(System.Logger.Level.INFO, "chat852 mock: no recording of the openai dialect matches {0}", chat);
            return new Answer(error(HttpResponseStatus.NOT_FOUND, unmatched(backend, chat), "invalid_request_error",
                    "chat852_no_recording"), null, null);
        }
        RecordedResponse response = answer.response();
        boolean chunked = true;
        if (!chat.stream() && response.status() == 200 && !response.isJson()) {
            response = OpenAiNonStream.wrap(response, chat);
            chunked = false;
        }
        List<Fault> faults = new ArrayList<>();
        response.faults().forEach(f -> faults.add(inOpenAiForm(f)));
        backend.faults().forEach(f -> faults.add(inOpenAiForm(f)));
        answer.holds().forEach(h -> faults.add(Fault.stall(h.afterBytes(), 0))); // a segment ends at each gate
        MockResponse.Framing framing = answer.framing()
                .orElse(chunked ? MockResponse.Framing.CHUNKED : MockResponse.Framing.CONTENT_LENGTH);
        return new Answer(null, ReplayPlan.of(response, framing, backend.speed(), backend.rechunk(), faults), answer);
    }

    /** A {@code status:CODE} fault with the 852 envelope gets OpenAI's error body instead, so clients read it as they would. */
    private static Fault inOpenAiForm(Fault fault) {
        if (fault instanceof Fault.Status) {
            Fault.Status s = (Fault.Status) fault;
            String message = "chat852 mock: fault status " + s.code();
            if (s.body().equals(ApiEnvelope.error(s.code(), message))) {
                return Fault.status(s.code(), new OpenAiError(message, s.code() >= 500 ? "server_error"
                        : "invalid_request_error", null).toJson());
            }
        }
        return fault;
    }

    /** What was asked, and which recordings of the dialect could have answered. */
    private static String unmatched(MockBackend backend, ApiRequest chat) {
        List<Recording> candidates = backend.recordings().stream()
                .filter(r -> r.dialect() == chat.dialect()).collect(Collectors.toList());
        String listed = candidates.stream().limit(LISTED_RECORDINGS).map(Recording::name).collect(Collectors.joining(", "));
        return "chat852 mock: no recording of the openai dialect matches model=" + chat.model() + " with these "
                + chat.messages().size() + " message(s) " + Jsons.write(Jsons.tree(chat.messages())) + "; recordings: "
                + (candidates.isEmpty() ? "none" : listed
                        + (candidates.size() > LISTED_RECORDINGS ? " and " + (candidates.size() - LISTED_RECORDINGS) + " more" : ""));
    }

    static FullHttpResponse error(HttpResponseStatus status, String message, String type, String code) {
        return MockHandler.json(status, new OpenAiError(message, type, code).toJson());
    }
}
