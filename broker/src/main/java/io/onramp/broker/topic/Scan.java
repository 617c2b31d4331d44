package io.onramp.broker.topic;

/** String scanning for the topic parsers. */
final class Scan {

    private Scan() {
    }

    /**
     * {@code s.indexOf(c, from)} that stops at {@code to}: an unbounded search per pair would make a long
     * bag of short pairs quadratic.
     */
    static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
