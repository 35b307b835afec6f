package dev.chat852.cli;

import java.util.HashMap;
import java.util.Map;

/** {@link Environment}s for in-process tests. */
final class TestEnvironment {
    private TestEnvironment() {
    }

    /** No variables, no terminal, no interrupts. */
    static Environment plain() {
        return new Environment(Map.of(), false, false, Interrupts.NONE);
    }

    /** Like {@link #plain()}, with CHAT852_TOKEN set. */
    static Environment withToken(String token) {
        return new Environment(Map.of(Environment.TOKEN_VARIABLE, token), false, false, Interrupts.NONE);
    }

    /** Like {@link #plain()}, with these terminals. */
    static Environment terminals(boolean stdin, boolean stdout) {
        return new Environment(Map.of(), stdin, stdout, Interrupts.NONE);
    }

    /** Like {@code base}, interrupted through {@code interrupts}. */
    static Environment with(Environment base, Interrupts interrupts) {
        return new Environment(new HashMap<>(base.variables()), base.stdinIsTerminal(), base.stdoutIsTerminal(),
                interrupts);
    }
}
