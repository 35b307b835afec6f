/**
 * The chat API's protocol in one place: the endpoint, the defaults, the request body and the
 * {@code {code, message, data}} envelope of JSON answers; and the same for the OpenAI-compatible
 * dialect ({@link dev.chat852.protocol.OpenAiApi}, {@link dev.chat852.protocol.OpenAiError}). The client
 * encodes requests and parses envelopes with these classes; the mock server parses requests and builds
 * envelopes with the same ones, so the two cannot drift apart.
 *
 * <p>The stream's framing ({@code start852…end852}, the trailing {@code undefined}) is not here but in
 * {@link dev.chat852.wire}, as is the OpenAI stream's ({@code SseDecoder}, {@code OpenAiStreamDecoder}).
 */
package dev.chat852.protocol;
