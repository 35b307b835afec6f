package dev.chat852.internal;

import dev.chat852.spi.ResponseHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What reached a {@link ResponseHandler}, as lines such as {@code "response 200"} or {@code "body hi"}. */
final class RecordingHandler implements ResponseHandler {
    final List<String> calls = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void onResponse(int status, Map<String, List<String>> headers) {
        calls.add("response " + status);
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        calls.add("body " + StandardCharsets.UTF_8.decode(chunk));
    }

    @Override
    public void onComplete() {
        calls.add("complete");
    }

    @Override
    public void onError(Throwable error) {
        calls.add("error " + error.getClass().getSimpleName());
        errors.add(error);
    }
}
