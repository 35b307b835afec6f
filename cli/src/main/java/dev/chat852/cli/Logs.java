package dev.chat852.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the library's informational log lines (through {@code System.Logger}, to
 * {@code java.util.logging}'s two-line console format) off the command's stderr: the commands print
 * their own one-line messages. Warnings still show.
 */
final class Logs {
    // Held strongly: java.util.logging forgets the level of a logger that has been garbage collected.
    private static final Logger CHAT852 = Logger.getLogger("dev.chat852");

    private Logs() {
    }

    /** Shows only warnings and errors from {@code dev.chat852.*} loggers (the mock server's, the recorder's). */
    static void quietInfo() {
        if (CHAT852.getLevel() == null) {
            CHAT852.setLevel(Level.WARNING);
        }
    }
}
