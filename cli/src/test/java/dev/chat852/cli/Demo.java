package dev.chat852.cli;

import dev.chat852.mock.Recording;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;

/** The bundled demo recordings' answers, decoded from the recordings themselves. */
final class Demo {
    /** What {@code demo-zh} answers: the request whose only message is the user's 你好. */
    static final String ZH = answer("demo-zh");
    /** What {@code demo-en} answers: any other request. */
    static final String EN = answer("demo-en");

    private Demo() {
    }

    private static String answer(String name) {
        Recording recording = Recording.demo().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no demo recording " + name));
        StringBuilder text = new StringBuilder();
        StreamDecoder decoder = new StreamDecoder(new StreamHandler() {
            @Override
            public void onText(String piece) {
                text.append(piece);
            }
        });
        byte[] body = recording.response().body();
        decoder.feed(body, 0, body.length);
        decoder.finish();
        return text.toString();
    }
}
