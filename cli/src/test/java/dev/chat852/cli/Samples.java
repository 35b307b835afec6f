package dev.chat852.cli;

import java.nio.file.Path;

/** The bundled sample body and what decoding it must give. */
final class Samples {

    /** The repository root: the build passes it, and an IDE run from {@code cli/} falls back to "..". */
    static final Path REPO_ROOT = Path.of(System.getProperty("chat852.repoRoot", "..")).toAbsolutePath().normalize();

    /** Relative to {@link #REPO_ROOT}, as the README spells it. */
    static final String SAMPLE_BODY = "docs/samples/stream-body.txt";

    static final String SAMPLE_HEADER = "{\"isSdHide\":false,\"sdLimitCount\":10,\"numOfOneDayCanCallApi\":100,"
            + "\"numOfOneDayAlreadyCallApi\":3,\"apiDate\":\"2026-11-25\",\"isHasGPT4Auth\":true}";

    static final String SAMPLE_ANSWER = "当然可以！Streaming means the server sends the answer in small pieces while it"
            + " is still writing it. 服务器每生成一小段文字，就立刻发给客户端，所以你不必等整个回答完成。\n"
            + "\n"
            + "Each piece is plain UTF-8 text, and a character such as “流” takes three bytes, which may arrive in two"
            + " different chunks. 好的解码器会先保留不完整的字节，等剩下的部分到了再一起解码，这样就不会出现乱码。\n"
            + "\n"
            + "希望这对你有帮助 😊 If anything is unclear, just ask!";

    static Path sampleBody() {
        return REPO_ROOT.resolve(SAMPLE_BODY);
    }

    private Samples() {
    }
}
