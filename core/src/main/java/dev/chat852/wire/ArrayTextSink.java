package dev.chat852.wire;

/**
 * How {@link StreamDecoder} takes text from {@link FrameDecoder}: as a range of the array behind the
 * fed bytes, so that decoding it needs neither a view nor a copy. Package-private: the public contract
 * is {@link FrameHandler#onText}, which the decoder uses when the input has no accessible array.
 */
interface ArrayTextSink {

    /** Text bytes {@code array[offset, offset + length)}; valid only during the call, never to be written. */
    void onText(byte[] array, int offset, int length);

    /** The text run has ended: a {@code start852} was found (a header follows), or the stream failed. */
    void onTextRunEnd();
}
