package dev.chat852.cli;

import java.io.PrintStream;
import java.net.URI;

/** What {@code mock} and {@code record} share: the ready line, and serving until told to stop. */
final class Serving {

    /** Closes the server; waits until it is closed. */
    interface Server {
        URI baseUri();

        void awaitClose() throws InterruptedException;

        void close();
    }

    private Serving() {
    }

    /** The one line a script waits for on standard output: {@code listening on http://127.0.0.1:PORT}. */
    static String readyLine(URI baseUri) {
        return "listening on " + baseUri;
    }

    /**
     * Prints the ready line (flushed), then serves until an interrupt (Ctrl-C, SIGTERM) or an interrupt
     * of this thread closes the server. Returns {@link ExitCodes#OK}: being stopped is how a server ends.
     */
    static int serve(Server server, PrintStream out, Interrupts interrupts) {
        try (Interrupts.Registration registration = interrupts.onInterrupt(status -> server.close())) {
            out.println(readyLine(server.baseUri()));
            out.flush();
            try {
                server.awaitClose();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                server.close();
            }
        }
        return ExitCodes.OK;
    }
}
