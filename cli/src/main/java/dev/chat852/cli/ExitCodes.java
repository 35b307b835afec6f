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

    /** Bad flags or arguments, or an input file that cannot be opened: nothing was decoded. */
    static final int USAGE = 2;

    /** The stream broke the framing rules (see {@code ProtocolException}); output up to it was written. */
    static final int PROTOCOL = 3;

    /**
     * Reading the input or writing the output failed part way. Distinct from {@link #USAGE} because
     * output may already have been written and changing the command line would not help.
     */
    static final int IO = 4;

    private ExitCodes() {
    }
}
