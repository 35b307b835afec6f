/**
 * The docs test: every command and sample of README.md and docs/ is run or checked by the build, so
 * the pages cannot drift from the code.
 *
 * <p>How a fenced block is checked follows from its language, or from a marker, an HTML comment on the
 * line right above the fence (invisible on the rendered page): {@code <!-- docs: WORDS -->}, words
 * separated by {@code ;}.
 *
 * <ul>
 *   <li>{@code java}: compiled (JavaSamplesTest), with the imports an IDE would add. Statements are
 *       compiled inside a method; {@code given: Type name; Type name = value} declares what they use.
 *       {@code run} also runs it, in a JVM of its own from a folder laid out as a user's project
 *       (docs/samples/recordings as {@code recordings/} and {@code src/test/resources/recordings/}, and
 *       on the class path); {@code env: mock} points {@code CHAT852_BASE_URL}/{@code CHAT852_TOKEN} at a
 *       mock serving the demo recordings; {@code docker} needs a Docker engine and the image.
 *   <li>{@code sh}: run by bash from the repository root (ShellBlocksTest) and must exit 0; a
 *       following block marked {@code output} is what it must print ({@code output; terminal}: with a
 *       terminal as its output, through util-linux {@code script}). Fixed ports become free ones,
 *       benchmarks run one short iteration, Maven lines are read, not run (MavenCommandsTest).
 *       {@code mock: ARGS} starts {@code chat852 mock ARGS} on port 8520 first.
 *   <li>A block of {@code $ command} lines: each command runs and must print what the page shows under
 *       it; {@code …} stands for any text in a line, or for any lines on a line of its own.
 *   <li>{@code json}: must parse; {@code recording} also loads it as a mock recording. {@code xml}: the
 *       artifacts exist, at the versions the build uses.
 *   <li>{@code synopsis}: a usage line, whose options must be exactly those of the command's
 *       {@code --help}. {@code illustration}: a drawing or sample lines, nothing to run.
 *       {@code checked-by: PATH}: the test in that file reads the block from this page and runs it.
 *       {@code not-run: REASON}: needs the real service or a profiler; the list of these is
 *       EveryBlockIsCheckedTest.NOT_RUN, and a block with no check fails the build.
 * </ul>
 */
package dev.chat852.docs;
