package dev.chat852.cli;

/**
 * Exit statuses shared by every chat852 command, so scripts can tell a bad command line from a
 * broken stream. Listed in each command's help and in {@code docs/cli.md}.
 */
final class ExitCodes {

    /** The command did what was asked. */
    static final int OK = 0;

    /** A bug in chat852: an unexpected exception (picocli prints its stack trace). */
    static final int SOFTWARE = 1;

    /**
     * Bad flags or arguments, a missing token or prompt, an input file that cannot be opened: fix the
     * command line. Nothing was sent or decoded.
     */
    static final int USAGE = 2;

    /**
     * The response broke the protocol: the stream's framing (see {@code ProtocolException}), or a JSON
     * answer that is not the API's wrapper. Output up to it was written.
     */
    static final int PROTOCOL = 3;

    /** The API answered with its error wrapper ({@code ApiException}: bad token, quota, model …). */
    static final int API = 4;

    /**
     * The server or the connection failed (refused, reset, timed out, an HTTP error status), or reading
     * the input or writing the output failed part way. Distinct from {@link #USAGE} because output may
     * already have been written and the same command may work next time.
     */
    static final int IO = 5;

    private ExitCodes() {
    }
}
