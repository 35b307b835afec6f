package dev.chat852.testcontainers;

import dev.chat852.mock.Fault;
import dev.chat852.mock.MockAdmin;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ChatApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The chat852 mock server ({@code chat852 mock}) in a container, for tests that want it out of
 * process, or whose code under test is not on the JVM. The options are those of
 * {@link MockServer.Builder}; while it runs, {@link #admin()} does what the in-process server's methods
 * do, over its admin API.
 *
 * <pre>{@code
 * @Testcontainers
 * class ChatTest {
 *     @Container
 *     static final Chat852MockContainer mock = new Chat852MockContainer()
 *             .withRecordings(Path.of("src/test/resources/recordings"))
 *             .withSpeed(0);
 *
 *     @Test
 *     void chats() {
 *         mock.admin().enqueue(Recording.of(RecordedResponse.builder().chunk(0, "你好").build()));
 *         // ... point the client at mock.baseUri() ...
 *         assertThat(mock.admin().requests()).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * <p>Started, it is ready: the wait strategy polls the health endpoint through the mapped port. With no
 * recordings given it serves the bundled demo ({@link Recording#demo()}). The token goes to the
 * container as an environment variable, never on its command line or in {@link #toString()}.
 */
public class Chat852MockContainer extends GenericContainer<Chat852MockContainer> {
    /** The port the server listens on inside the container. */
    public static final int PORT = 8520;
    /** Where recordings are copied in the container (and where to mount a folder of them). */
    public static final String RECORDINGS_PATH = "/recordings";
    /** The image this version of the module goes with: {@code chat852/mock-server:VERSION}. */
    public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse(defaultImage());

    private static final String TOKEN_VARIABLE = "CHAT852_MOCK_TOKEN";
    private static final String HEALTH_PATH = "/__admin/health";

    private final DockerImageName image;
    private String speed;
    private String rechunk;
    private final List<String> faults = new ArrayList<>();
    private int recordingSources;
    private boolean tokenChecked;
    private volatile MockAdmin admin;

    /** The {@link #DEFAULT_IMAGE}. */
    public Chat852MockContainer() {
        this(DEFAULT_IMAGE);
    }

    /** Another tag or build of the image (declared with {@code asCompatibleSubstituteFor} if renamed). */
    public Chat852MockContainer(DockerImageName image) {
        super(image);
        this.image = image;
        image.assertCompatibleWith(DockerImageName.parse(DEFAULT_IMAGE.getUnversionedPart()));
        withExposedPorts(PORT);
        waitingFor(Wait.forHttp(HEALTH_PATH).forPort(PORT).forStatusCode(200)
                .withStartupTimeout(Duration.ofSeconds(60)));
    }

    /**
     * Copies a recording file, or a folder of them (every {@code *.json} below it), into the container.
     * Recordings are matched in the order they were given, as with {@link MockServer.Builder#recordings}.
     */
    public Chat852MockContainer withRecordings(Path fileOrFolder) {
        if (!Files.exists(fileOrFolder)) {
            throw new IllegalArgumentException("no such recording file or folder: " + fileOrFolder);
        }
        String target = nextRecordingFolder() + (Files.isDirectory(fileOrFolder) ? ""
                : "/" + fileOrFolder.getFileName());
        // 0755: readable by the container's user (not root) whatever the permissions on the host.
        return withCopyFileToContainer(MountableFile.forHostPath(fileOrFolder, 0755), target);
    }

    /** Copies one recording into the container, after those given before it. */
    public Chat852MockContainer withRecording(Recording recording) {
        byte[] json = recording.toJson().getBytes(StandardCharsets.UTF_8);
        return withCopyToContainer(Transferable.of(json, 0644), nextRecordingFolder() + "/recording.json");
    }

    /** Timing: 1 as recorded (default), 2 twice as fast, 0 no delays ({@link MockServer.Builder#speed}). */
    public Chat852MockContainer withSpeed(double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a finite number >= 0, was " + speed);
        }
        this.speed = Double.toString(speed);
        return self();
    }

    /** How to cut every body into chunks ({@link MockServer.Builder#rechunk}). */
    public Chat852MockContainer withRechunk(Rechunk rechunk) {
        this.rechunk = rechunk.toString();
        return self();
    }

    /** Adds a fault to every replay ({@link MockServer.Builder#fault}); a {@code Status} fault's custom body is not kept. */
    public Chat852MockContainer withFault(Fault fault) {
        faults.add(fault.toString());
        return self();
    }

    /** Requires this token in every chat request ({@link MockServer.Builder#token}). */
    public Chat852MockContainer withToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        tokenChecked = true;
        return withEnv(TOKEN_VARIABLE, token);
    }

    /** {@code http://HOST:PORT} through the mapped port: the base URL to give a client. */
    public URI baseUri() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(PORT));
    }

    /** The chat endpoint's full URL. */
    public URI endpoint() {
        return URI.create(baseUri() + ChatApi.PATH);
    }

    /** The admin API of the running server: add or enqueue recordings, received requests, reset. */
    public MockAdmin admin() {
        URI base = baseUri();
        MockAdmin current = admin;
        if (current == null || !current.baseUri().equals(base)) {
            current = MockAdmin.of(base);
            admin = current;
        }
        return current;
    }

    /** The arguments {@code chat852 mock} gets after the image's own ({@code --host 0.0.0.0}). */
    @Override
    protected void configure() {
        setCommand(options().toArray(new String[0]));
    }

    @Override
    public String toString() {
        List<String> options = options();
        return "Chat852MockContainer[" + image.asCanonicalNameString()
                + (getContainerId() == null ? ", not started" : ", " + baseUri())
                + (options.isEmpty() ? "" : ", " + String.join(" ", options))
                + (recordingSources == 0 ? ", demo recordings" : "")
                + (tokenChecked ? ", token checked" : "") + "]";
    }

    private List<String> options() {
        List<String> command = new ArrayList<>();
        if (recordingSources > 0) {
            command.add("--recordings");
            command.add(RECORDINGS_PATH);
        }
        if (speed != null) {
            command.add("--speed");
            command.add(speed);
        }
        if (rechunk != null) {
            command.add("--rechunk");
            command.add(rechunk);
        }
        for (String fault : faults) {
            command.add("--fault");
            command.add(fault);
        }
        return command;
    }

    /** A folder per source, numbered, so that the server's path order is the order they were given. */
    private String nextRecordingFolder() {
        return String.format("%s/%03d", RECORDINGS_PATH, ++recordingSources);
    }

    private static String defaultImage() {
        Properties properties = new Properties();
        try (InputStream in = Chat852MockContainer.class.getResourceAsStream("image.properties")) {
            properties.load(Objects.requireNonNull(in, "image.properties is missing from chat852-testcontainers"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("image");
    }
}
