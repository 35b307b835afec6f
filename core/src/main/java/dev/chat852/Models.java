package dev.chat852;

/** The models the API documents. Any other model name is sent as given. */
public final class Models {
    /** The API's default. */
    public static final String GPT_3_5_TURBO_1106 = "gpt-3.5-turbo-1106";
    public static final String GPT_3_5_TURBO_16K = "gpt-3.5-turbo-16k";
    public static final String GPT_4 = "gpt-4";
    public static final String GPT_4_1106_PREVIEW = "gpt-4-1106-preview";

    private Models() {
    }
}
