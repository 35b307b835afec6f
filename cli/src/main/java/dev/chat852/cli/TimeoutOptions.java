package dev.chat852.cli;

import dev.chat852.ChatClient;
import dev.chat852.ChatTimeoutException;
import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import picocli.CommandLine.Option;

/**
 * {@code chat}'s timeout options: the client's three ({@code ChatClient.Builder.connectTimeout},
 * {@code firstByteTimeout}, {@code idleTimeout}) and a limit on the whole call, as curl's
 * {@code --max-time}, which the command enforces itself by cancelling the call. Messages name the option
 * and the value that ran out.
 */
final class TimeoutOptions {
    /** The "status" a {@link #withMaxTime deadline} stops a call with; not an exit status. */
    static final int MAX_TIME_PASSED = -1;

    @Option(names = "--connect-timeout", paramLabel = "TIME", converter = OptionValues.TimeSpan.class,
            description = "The longest wait for a connection (TCP, TLS, a proxy's tunnel): 500ms, 30s, 2m, or"
                    + " seconds; 0 for no limit. Default: 10s.")
    private Duration connect;

    @Option(names = "--first-byte-timeout", paramLabel = "TIME", converter = OptionValues.TimeSpan.class,
            description = "The longest wait from sending the request to the response's start. Default: 60s.")
    private Duration firstByte;

    @Option(names = "--idle-timeout", paramLabel = "TIME", converter = OptionValues.TimeSpan.class,
            description = "The longest pause in the answer while it streams. Default: 60s.")
    private Duration idle;

    @Option(names = "--max-time", paramLabel = "TIME", converter = OptionValues.TimeSpan.class,
            description = "The longest the whole call may take, retries included; the answer so far is kept."
                    + " Default: no limit.")
    private Duration maxTime;

    /** Sets the client's timeouts that were given. */
    void applyTo(ChatClient.Builder builder) {
        if (connect != null) {
            builder.connectTimeout(connect);
        }
        if (firstByte != null) {
            builder.firstByteTimeout(firstByte);
        }
        if (idle != null) {
            builder.idleTimeout(idle);
        }
    }

    /**
     * {@code interrupts}, plus a stop with {@link #MAX_TIME_PASSED} once {@code --max-time} has passed
     * since the registration (the call's start); {@code interrupts} itself without {@code --max-time}.
     */
    Interrupts withMaxTime(Interrupts interrupts) {
        if (maxTime == null || maxTime.isZero()) {
            return interrupts;
        }
        return stop -> {
            Interrupts.Registration signals = interrupts.onInterrupt(stop);
            Timer timer = new Timer("chat852-max-time", true);
            timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    stop.accept(MAX_TIME_PASSED);
                }
            }, Math.max(1, maxTime.toMillis()));
            return () -> {
                timer.cancel();
                signals.close();
            };
        };
    }

    /** Which timeout ran out, in words, with its option and value. */
    String describe(ChatTimeoutException e) {
        String value = OptionValues.format(e.timeout());
        switch (e.kind()) {
            case CONNECT:
                return "timed out: no connection within " + value + " (--connect-timeout " + value + ")";
            case FIRST_BYTE:
                return "timed out: the response did not start within " + value + " of sending the request"
                        + " (--first-byte-timeout " + value + ")";
            default:
                return "timed out: the answer paused for longer than " + value + " (--idle-timeout " + value + ")";
        }
    }

    /** What a call stopped by {@code --max-time} reports. */
    String maxTimePassed() {
        String value = OptionValues.format(maxTime);
        return "timed out: the call took longer than " + value + " (--max-time " + value + ")";
    }
}
