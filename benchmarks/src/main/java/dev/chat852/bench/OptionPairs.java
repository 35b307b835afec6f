package dev.chat852.bench;

/**
 * The benchmark programs' command lines: {@code --name value} pairs, up to the end or to {@code --},
 * after which the rest is the program's own (a command to run, say).
 */
final class OptionPairs {
    private OptionPairs() {
    }

    /** Takes one option; false when it does not know the name. */
    interface Handler {
        boolean take(String name, String value);
    }

    /**
     * Gives each pair to {@code handler}; returns the index of the first argument after {@code --}, or
     * {@code args.length}.
     *
     * @throws IllegalArgumentException for an option without a value, or one the handler does not know
     */
    static int read(String[] args, Handler handler) {
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            if (!handler.take(args[i], args[i + 1])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
            }
        }
        return Math.min(i + 1, args.length);
    }
}
