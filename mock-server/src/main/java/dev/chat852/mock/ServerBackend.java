package dev.chat852.mock;

import dev.chat852.mock.internal.ConnectionLog;
import dev.chat852.mock.internal.MockBackend;
import dev.chat852.mock.internal.RecordingStore;
import dev.chat852.mock.internal.RequestLog;
import dev.chat852.mock.internal.TrackedConnection;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What the handlers of a {@link MockServer}'s connections see of it: its settings, recordings and logs. */
final class ServerBackend implements MockBackend {
    private static final System.Logger LOG = System.getLogger("dev.chat852.mock");

    private final MockServer server;
    private final double speed;
    private final Rechunk rechunk;
    private final List<Fault> faults;
    private final byte[] token;
    private final RecordingStore recordings;
    private final RequestLog requests;
    private final ConnectionLog connections;
    private final Supplier<Dispatcher> dispatcher;

    ServerBackend(MockServer server, double speed, Rechunk rechunk, List<Fault> faults, String token,
                  RecordingStore recordings, RequestLog requests, ConnectionLog connections,
                  Supplier<Dispatcher> dispatcher) {
        this.server = server;
        this.speed = speed;
        this.rechunk = rechunk;
        this.faults = faults;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.recordings = recordings;
        this.requests = requests;
        this.connections = connections;
        this.dispatcher = dispatcher;
    }

    @Override
    public double speed() {
        return speed;
    }

    @Override
    public Rechunk rechunk() {
        return rechunk;
    }

    @Override
    public List<Fault> faults() {
        return faults;
    }

    @Override
    public boolean acceptsToken(String given) {
        return token == null || given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public MockResponse answer(String path, Map<String, List<String>> headers, ApiRequest request) {
        ReceivedRequest received = new ReceivedRequest(Instant.now(), "POST", path, headers, request.json(),
                request.model(), request.messages(), request.stream(), request.token() != null, null);
        Dispatcher d = dispatcher.get();
        if (d != null) {
            MockResponse dispatched;
            try {
                dispatched = d.dispatch(received);
            } catch (RuntimeException | AssertionError e) {
                requests.add(received);
                LOG.log(System.Logger.Level.WARNING, "chat852 mock: the dispatcher threw", e);
                return MockResponse.of(RecordedResponse.builder().status(500)
                        .header("Content-Type", ChatApi.JSON_CONTENT_TYPE)
                        .chunk(0, ApiEnvelope.error(500, "chat852 mock: the dispatcher threw " + e.getClass().getName()))
                        .build());
            }
            if (dispatched != null) {
                requests.add(received.answeredBy("dispatcher"));
                LOG.log(System.Logger.Level.DEBUG, "chat852 mock: {0} answered by the dispatcher", request);
                return dispatched;
            }
        }
        Recording recording = recordings.match(request);
        if (recording == null) {
            requests.add(received);
            return null;
        }
        requests.add(received.answeredBy(recording.name()));
        LOG.log(System.Logger.Level.DEBUG, "chat852 mock: {0} answered by {1}", request, recording.name());
        return MockResponse.of(recording.response());
    }

    @Override
    public List<Recording> recordings() {
        return recordings.all();
    }

    @Override
    public void received(String method, String path, Map<String, List<String>> headers, ApiRequest request) {
        requests.add(request == null
                ? new ReceivedRequest(Instant.now(), method, path, headers, null, null, List.of(), true, false, null)
                : new ReceivedRequest(Instant.now(), method, path, headers, request.json(), request.model(),
                        request.messages(), request.stream(), request.token() != null, null));
    }

    @Override
    public MockServer server() {
        return server;
    }

    @Override
    public TrackedConnection connected(Channel channel) {
        return connections.connected(channel);
    }
}
