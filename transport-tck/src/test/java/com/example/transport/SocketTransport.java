package com.example.transport;

import dev.chat852.ChatTimeoutException;
import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal chat852 transport on java.net.Socket: plain HTTP/1.1, one connection and one daemon thread
 * per exchange, the body read only as far as the caller's demand allows.
 */
public final class SocketTransport implements Transport {
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    private final Set<SocketExchange> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        if (closed) {
            throw new IllegalStateException("the transport is closed");
        }
        SocketExchange exchange = new SocketExchange(request, handler);
        running.add(exchange);
        Thread thread = new Thread(exchange::run, "socket-transport");
        thread.setDaemon(true);
        thread.start();
        return exchange;
    }

    /** Running exchanges end with onError: their sockets close, and a thread waiting for demand wakes up. */
    @Override
    public void close() {
        closed = true;
        running.forEach(SocketExchange::abort);
    }

    @Override
    public String toString() {
        return "SocketTransport[" + running.size() + " running]";
    }

    private final class SocketExchange implements Exchange {
        private final TransportRequest request;
        private final ResponseHandler handler;
        private final Socket socket = new Socket();
        private long demand; // guarded by this
        private volatile boolean cancelled;
        private volatile boolean aborted;

        SocketExchange(TransportRequest request, ResponseHandler handler) {
            this.request = request;
            this.handler = handler;
        }

        @Override
        public synchronized void request(long n) {
            if (n <= 0) {
                throw new IllegalArgumentException("demand must be positive, was " + n);
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            notifyAll();
        }

        @Override
        public void cancel() {
            cancelled = true; // no handler call after this
            stop();
        }

        void abort() {
            aborted = true;
            stop();
        }

        private void stop() {
            synchronized (this) {
                notifyAll();
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        void run() {
            try {
                URI uri = request.uri();
                if (!"http".equalsIgnoreCase(uri.getScheme())) {
                    throw new IOException("this transport speaks plain http only, not " + uri.getScheme());
                }
                connect(uri);
                send(uri, socket.getOutputStream());
                InputStream in = new BufferedInputStream(socket.getInputStream());
                Map<String, List<String>> headers = new LinkedHashMap<>();
                int status = readHead(in, headers);
                if (cancelled) {
                    return;
                }
                handler.onResponse(status, headers);
                readBody(in, headers);
                if (!cancelled) {
                    handler.onComplete();
                }
            } catch (Throwable e) {
                if (!cancelled) {
                    handler.onError(aborted ? new IOException("the transport was closed", e) : e);
                }
            } finally {
                stop();
                running.remove(this);
            }
        }

        private void connect(URI uri) throws IOException {
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            try {
                socket.connect(new InetSocketAddress(uri.getHost(), port), (int) request.connectTimeout().toMillis());
            } catch (SocketTimeoutException e) {
                throw new ChatTimeoutException(ChatTimeoutException.Kind.CONNECT, request.connectTimeout());
            }
            socket.setTcpNoDelay(true);
        }

        private void send(URI uri, OutputStream out) throws IOException {
            ByteBuffer body = request.body();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    .append("\r\nContent-Length: ").append(body.remaining()).append("\r\nConnection: close\r\n");
            request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            out.write(bytes);
            out.flush();
        }

        /** The status line and headers (names lower case); informational responses are skipped. */
        private int readHead(InputStream in, Map<String, List<String>> headers) throws IOException {
            int status;
            do {
                String[] statusLine = readLine(in).split(" ", 3);
                if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP/1.x status line");
                }
                status = Integer.parseInt(statusLine[1]);
                headers.clear();
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    int colon = line.indexOf(':');
                    if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                        throw new IOException("a malformed response header, or too many");
                    }
                    headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
                }
            } while (status / 100 == 1);
            return status;
        }

        private void readBody(InputStream in, Map<String, List<String>> headers) throws IOException {
            String encoding = first(headers, "transfer-encoding");
            String length = first(headers, "content-length");
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                    deliver(in, size);
                    if (!readLine(in).isEmpty()) {
                        throw new IOException("a chunk not followed by CRLF");
                    }
                }
                while (!readLine(in).isEmpty()) {
                    // trailers: not needed
                }
            } else if (length != null) {
                deliver(in, Long.parseLong(length));
            } else {
                deliver(in, Long.MAX_VALUE); // until the server closes the connection
            }
        }

        private long chunkSize(InputStream in) throws IOException {
            String line = readLine(in);
            int semicolon = line.indexOf(';');
            try {
                return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("a bad chunk size", e);
            }
        }

        /** Hands {@code count} body bytes to the handler, one read per unit of demand. */
        private void deliver(InputStream in, long count) throws IOException {
            byte[] buffer = new byte[8192];
            long left = count;
            while (left > 0) {
                awaitDemand();
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    if (count == Long.MAX_VALUE) {
                        return; // a close-delimited body ends here
                    }
                    throw new EOFException("the connection closed " + left + " bytes before the end of the body");
                }
                left -= n;
                if (cancelled) {
                    return;
                }
                handler.onBody(ByteBuffer.wrap(buffer, 0, n).asReadOnlyBuffer());
            }
        }

        private synchronized void awaitDemand() throws IOException {
            while (demand == 0 && !cancelled && !aborted) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (cancelled || aborted) {
                throw new IOException("the exchange was stopped");
            }
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
        }

        private String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("the connection closed in the response head");
                }
                if (line.size() == MAX_LINE) {
                    throw new IOException("a response line over " + MAX_LINE + " bytes");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        private String first(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }
}
