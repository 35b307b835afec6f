package dev.chat852.internal;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A transport the test plays by hand: each {@code execute} is an attempt whose handler the test calls. */
final class ScriptedTransport implements Transport {
    final List<Attempt> attempts = new ArrayList<>();
    /** Runs inside {@code execute}, before it returns: for callbacks that come that early. */
    Consumer<Attempt> duringExecute = a -> { };
    RuntimeException refuse;

    static final class Attempt implements Exchange {
        final ResponseHandler handler;
        long requested;
        boolean cancelled;

        Attempt(ResponseHandler handler) {
            this.handler = handler;
        }

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    Attempt attempt(int n) {
        return attempts.get(n);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        if (refuse != null) {
            throw refuse;
        }
        Attempt a = new Attempt(handler);
        attempts.add(a);
        duringExecute.accept(a);
        return a;
    }

    @Override
    public void close() {
    }
}
