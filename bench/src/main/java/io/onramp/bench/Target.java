package io.onramp.bench;

/** What a round loads: the real gateway, or the bare SAS-checking handler it is compared with. */
enum Target {
    GATEWAY("gateway"), BARE("bare");

    private final String label;

    Target(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
