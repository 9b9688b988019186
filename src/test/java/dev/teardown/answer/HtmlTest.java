package dev.teardown.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The HTML escaper: the five markup characters become references, controls become visible, the rest stays. */
class HtmlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "<script>alert(1)</script> | &lt;script&gt;alert(1)&lt;/script&gt;",
        "a & b                     | a &amp; b",
        "`\"quoted\" attr`         | &quot;quoted&quot; attr",
        "it's                      | it&#39;s",
        "&amp; already             | &amp;amp; already",
        "<!-- comment -->          | &lt;!-- comment --&gt;",
        "]]>                       | ]]&gt;"})
    void markupCharactersBecomeCharacterReferences(String raw, String escaped) {
        assertEquals(escaped, Html.text(raw));
    }

    @Test
    void controlCharactersAreMadeVisibleBeforeEscaping() {
        assertEquals("\\x1b[2J&lt;b&gt;\\x9b31m\\x00", Html.text("\u001b[2J<b>\u009b31m\u0000"));
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        String plain = "127.0.0.1:8080 [2001:db8::1]:443 caf\u00e9";
        assertSame(plain, Html.text(plain));
    }
}
