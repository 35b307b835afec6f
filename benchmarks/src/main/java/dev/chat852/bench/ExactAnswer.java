package dev.chat852.bench;

import dev.chat852.ChatCompletion;
import java.util.Optional;

/** Whether a completed call is exactly the generated body's answer: finished, its one header, its text. */
final class ExactAnswer {
    private ExactAnswer() {
    }

    /** Empty when exact; else what differs first, briefly (not the texts: they can be megabytes). */
    static Optional<String> mismatch(ChatBodyGenerator.Body body, ChatCompletion completion) {
        if (!completion.finished()) {
            return Optional.of("not finished");
        }
        if (completion.headers().size() != 1 || !completion.headers().get(0).raw().equals(body.header())) {
            return Optional.of(completion.headers().size() + " header blocks, expected 1 equal to the recording's");
        }
        String text = completion.text();
        if (!text.equals(body.text())) {
            int at = 0;
            while (at < Math.min(text.length(), body.text().length()) && text.charAt(at) == body.text().charAt(at)) {
                at++;
            }
            return Optional.of("text differs at char " + at + " (" + text.length() + " chars, expected "
                    + body.text().length() + ")");
        }
        return Optional.empty();
    }
}
