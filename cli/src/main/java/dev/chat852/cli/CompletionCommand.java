package dev.chat852.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code chat852 completion}: prints the bash completion script for every command and option (picocli's
 * {@link AutoComplete}); zsh runs it too, through {@code bashcompinit}. Install it with
 * {@code source <(chat852 completion)}, or save it in the shell's completion folder.
 */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Prints a bash/zsh completion script for chat852: its commands, and each command's options.",
            "Load it in this shell: source <(chat852 completion)",
            "For every shell: chat852 completion > ~/.local/share/bash-completion/completions/chat852"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the script was printed", "5:standard output failed"})
final class CompletionCommand implements Callable<Integer> {
    /** The name the script completes: the command as installed ({@code chat852}). */
    static final String NAME = "chat852";

    @ParentCommand
    private Main parent;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(NAME, spec.root().commandLine());
        java.io.PrintStream out = parent.streams().out();
        out.print(script);
        out.flush();
        if (out.checkError()) {
            Main.printError(spec.commandLine(), "error writing to standard output");
            return ExitCodes.IO;
        }
        return ExitCodes.OK;
    }
}
