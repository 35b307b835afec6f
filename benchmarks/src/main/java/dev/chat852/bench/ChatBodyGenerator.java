package dev.chat852.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Builds a realistic streaming body, deterministically from a seed: one header block, then chat-answer
 * text that is roughly half Chinese and half ASCII by bytes (sentences of either language with words of
 * the other mixed in, numbers, punctuation, line breaks, the odd emoji), then the trailing
 * {@code undefined}. The body has exactly the requested size: the text is padded with ASCII, and no
 * character is ever cut.
 */
public final class ChatBodyGenerator {

    /** The quota block the API sends first (the documented non-stream fields). */
    public static final String HEADER_JSON = "{\"isSdHide\":false,\"sdLimitCount\":10,\"numOfOneDayCanCallApi\":100,"
            + "\"numOfOneDayAlreadyCallApi\":3,\"apiDate\":\"2026-11-25\",\"isHasGPT4Auth\":true}";
    public static final String TRAILER = "undefined";

    /** A generated body and what a correct decoder must find in it. */
    public record Body(byte[] bytes, String header, String text, int textBytes) {
    }

    private static final String[] CHINESE = {
        "当然可以", "下面是一个简单的示例", "首先", "我们需要安装依赖", "这个问题的原因是", "你可以按照以下步骤操作",
        "总的来说", "希望这对你有帮助", "如果还有其他问题", "欢迎继续提问", "需要注意的是", "在实际项目中", "例如",
        "性能会更好", "我们可以使用", "来解决这个问题", "数据库连接池", "线程安全", "配置文件", "返回结果", "代码如下",
        "以下是详细的解释", "这样做的好处是", "内存占用更少", "请求会被重试", "服务器返回的数据", "然后", "最后",
        "调用接口", "错误处理", "字符串", "并发", "缓存", "日志", "测试用例", "部署到生产环境", "用户体验", "我理解你的意思",
        "换句话说", "这取决于你的需求", "可以考虑", "另外", "因此", "但是", "比较常见的做法是", "每秒处理",
    };
    private static final String[] ENGLISH = {
        "Sure", "here is an example", "the function returns", "you can use", "for example", "streaming response",
        "the server sends", "HashMap", "async", "await", "Note that", "performance", "configuration", "the client",
        "a simple approach is to", "In summary", "requests", "thread pool", "latency", "throughput", "JSON",
        "the result", "errors", "retry", "timeout", "buffer", "UTF-8", "Java", "Python", "React", "API", "token",
        "model", "let me explain", "I hope this helps", "Step", "First", "Then", "Finally", "however", "because",
        "this means", "the database", "cache", "index", "query", "memory", "is faster", "works well",
    };
    private static final String[] CHINESE_STOPS = {"，", "。", "！", "？", "：", "、", "；"};
    private static final String[] ENGLISH_STOPS = {",", ".", "!", "?", ":", ";"};
    private static final String[] CHINESE_UNITS = {"个", "年", "次", "毫秒", "%", "倍", "行", "元"};
    private static final String[] EMOJI = {"😊", "👍", "🚀", "✅"};
    private static final String PAD = "Hope this helps. ";

    private ChatBodyGenerator() {
    }

    /**
     * Generates a body of exactly {@code totalBytes} bytes.
     *
     * @throws IllegalArgumentException if {@code totalBytes} cannot hold the header and the trailer
     */
    public static Body generate(long seed, int totalBytes) {
        byte[] head = ("start852" + HEADER_JSON + "end852").getBytes(StandardCharsets.UTF_8);
        byte[] tail = TRAILER.getBytes(StandardCharsets.US_ASCII);
        int textBudget = totalBytes - head.length - tail.length;
        if (textBudget < 0) {
            throw new IllegalArgumentException("totalBytes too small: " + totalBytes);
        }
        byte[] out = Arrays.copyOf(head, totalBytes);
        int at = head.length;
        int textEnd = at + textBudget;

        SplittableRandom random = new SplittableRandom(seed);
        long chineseBytes = 0;
        long asciiBytes = 0;
        while (true) {
            // Lean towards whichever side is behind, so the mix stays near half and half by bytes.
            boolean chinese = random.nextInt(10) < (chineseBytes <= asciiBytes ? 7 : 3);
            byte[] sentence = (chinese ? chineseSentence(random) : englishSentence(random))
                    .getBytes(StandardCharsets.UTF_8);
            if (at + sentence.length > textEnd) {
                break;
            }
            System.arraycopy(sentence, 0, out, at, sentence.length);
            at += sentence.length;
            for (byte b : sentence) {
                if (b < 0) {
                    chineseBytes++;
                } else {
                    asciiBytes++;
                }
            }
        }
        for (int k = 0; at < textEnd; k++) {
            out[at++] = (byte) PAD.charAt(k % PAD.length()); // ASCII: cutting it cuts no character
        }
        System.arraycopy(tail, 0, out, at, tail.length);

        String text = new String(out, head.length, textBudget, StandardCharsets.UTF_8);
        for (String marker : new String[] {"start852", "end852", TRAILER}) {
            if (text.contains(marker)) {
                throw new IllegalStateException("generated text contains " + marker + "; change the word lists");
            }
        }
        return new Body(out, HEADER_JSON, text, textBudget);
    }

    private static String chineseSentence(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(12) == 0) {
            s.append(random.nextInt(1, 10)).append(". "); // a numbered list item
        }
        int clauses = random.nextInt(1, 4);
        for (int c = 0; c < clauses; c++) {
            int words = random.nextInt(2, 6);
            for (int w = 0; w < words; w++) {
                int kind = random.nextInt(20);
                if (kind < 3) {
                    s.append(' ').append(pick(random, ENGLISH)).append(' '); // code-switching, as answers do
                } else if (kind == 3) {
                    s.append(number(random)).append(pick(random, CHINESE_UNITS));
                } else {
                    s.append(pick(random, CHINESE));
                }
            }
            s.append(c + 1 < clauses ? "，" : pick(random, CHINESE_STOPS));
        }
        if (random.nextInt(25) == 0) {
            s.append(pick(random, EMOJI));
        }
        if (random.nextInt(6) == 0) {
            s.append(random.nextBoolean() ? "\n" : "\n\n");
        }
        return s.toString();
    }

    private static String englishSentence(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(12) == 0) {
            s.append(random.nextInt(1, 10)).append(". ");
        }
        int words = random.nextInt(3, 12);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                s.append(random.nextInt(8) == 0 ? ", " : " ");
            }
            int kind = random.nextInt(20);
            if (kind < 2) {
                s.append(pick(random, CHINESE));
            } else if (kind == 2) {
                s.append(number(random));
            } else if (kind == 3) {
                s.append('`').append(pick(random, ENGLISH)).append("()`");
            } else {
                s.append(pick(random, ENGLISH));
            }
        }
        s.append(pick(random, ENGLISH_STOPS)).append(random.nextInt(6) == 0 ? "\n" : " ");
        return s.toString();
    }

    private static String number(SplittableRandom random) {
        switch (random.nextInt(4)) {
            case 0: return Integer.toString(random.nextInt(10));
            case 1: return Integer.toString(random.nextInt(100, 10_000));
            case 2: return random.nextInt(1, 5) + "." + random.nextInt(10);
            default: return Integer.toString(random.nextInt(1990, 2030));
        }
    }

    private static String pick(SplittableRandom random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
