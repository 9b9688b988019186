package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9112 section 9.3, row by row: request version and Connection, response version and Connection. When
 * several reasons apply, the request's come first: a close the client asked for stays the client's when the
 * server repeats it.
 */
class PersistenceTest {

    private static int message(int minor, String connection, boolean untilClose) {
        int bits = MessageBits.KNOWN | minor << 8;
        if (connection.contains("close")) bits |= MessageBits.CLOSE;
        if (connection.contains("keep-alive")) bits |= MessageBits.KEEP_ALIVE;
        if (untilClose) bits |= MessageBits.UNTIL_CLOSE;
        return bits;
    }

    @ParameterizedTest(name = "HTTP/1.{0} [{1}] -> HTTP/1.{2} [{3}] until-close={4}: {5}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "1|''|1|''|false|PERSISTENT",
        "1|close|1|''|false|REQUEST_CLOSE",
        "1|''|1|close|false|RESPONSE_CLOSE",
        "1|close|1|close|false|REQUEST_CLOSE",
        "0|''|1|close|false|HTTP10",
        "0|keep-alive|1|close|false|RESPONSE_CLOSE",
        "1|close|0|''|false|REQUEST_CLOSE",
        "1|close|1|''|true|REQUEST_CLOSE",
        "0|''|1|''|false|HTTP10",
        "0|keep-alive|1|''|false|PERSISTENT",
        "0|keep-alive|0|''|false|HTTP10",
        "0|keep-alive|0|keep-alive|false|PERSISTENT",
        "1|''|0|''|false|HTTP10",
        "1|''|0|keep-alive|false|PERSISTENT",
        "1|''|1|''|true|CLOSE_DELIMITED",
        "1|''|1|keep-alive|true|CLOSE_DELIMITED",
        "0|''|0|''|true|HTTP10",
        "1|keep-alive,close|1|''|false|REQUEST_CLOSE",
    })
    void exchangeDecidesPersistence(int reqMinor, String reqConnection, int respMinor, String respConnection,
                                    boolean untilClose, Persistence expected) {
        assertEquals(expected, Persistence.of(message(reqMinor, reqConnection, false),
            message(respMinor, respConnection, untilClose)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1|''|PERSISTENT", "0|''|HTTP10", "1|close|RESPONSE_CLOSE"})
    void responseWhoseRequestWasNotSeenDecidesAlone(int respMinor, String respConnection, Persistence expected) {
        assertEquals(expected, Persistence.of(MessageBits.NONE, message(respMinor, respConnection, false)));
    }
}
