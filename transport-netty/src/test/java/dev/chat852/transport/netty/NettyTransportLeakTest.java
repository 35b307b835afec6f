package dev.chat852.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.spi.Exchange;
import dev.chat852.testkit.HostileServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every buffer the transport reads is released, whichever way the exchange ends: Netty's leak detector
 * at its strictest, over many completed, cancelled and reset exchanges, reports nothing.
 */
class NettyTransportLeakTest {

    @Test
    void noBufferLeaksAfterCompletedCancelledAndResetExchanges() throws Exception {
        Assumptions.assumeTrue(InternalLoggerFactory.getDefaultFactory() instanceof JdkLoggerFactory,
                "Netty logs through java.util.logging here");
        List<String> leaks = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(ResourceLeakDetector.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("LEAK")) {
                    leaks.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        log.addHandler(capture);
        try {
            exchangeEndingEveryWay(150);
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(50);
                for (int j = 0; j < 1000; j++) { // leaks are reported when buffers are allocated
                    ByteBufAllocator.DEFAULT.directBuffer(64).release();
                    ByteBufAllocator.DEFAULT.heapBuffer(64).release();
                }
            }
        } finally {
            log.removeHandler(capture);
            ResourceLeakDetector.setLevel(level);
        }

        assertThat(leaks).isEmpty();
    }

    private static void exchangeEndingEveryWay(int rounds) throws Exception {
        byte[] piece = new byte[3000];
        try (HostileServer server = HostileServer.answering((req, c) -> {
            c.head(200, "Transfer-Encoding: chunked");
            for (int i = 0; i < 40; i++) {
                c.chunk(piece);
            }
            if (req.bodyText().equals("reset")) {
                c.reset();
            } else {
                c.endChunks();
            }
        }); NettyTransport t = NettyTransport.create()) {
            for (int round = 0; round < rounds; round++) {
                String mode = round % 3 == 0 ? "cancel" : round % 3 == 1 ? "reset" : "whole";
                RecordingHandler h = new RecordingHandler().countOnly();
                Exchange ex = t.execute(NettyTransportFixture.post(server.baseUri().toString(), mode, Duration.ofSeconds(5)), h);
                ex.request(2);
                if (mode.equals("cancel")) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> h.bodyBytes.get() > 0);
                    ex.cancel();
                } else {
                    ex.request(Long.MAX_VALUE);
                    if (mode.equals("whole")) {
                        h.awaitCompletion();
                    } else {
                        h.awaitFailure();
                    }
                }
            }
        }
    }
}
