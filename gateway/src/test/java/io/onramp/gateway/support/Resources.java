package io.onramp.gateway.support;

/** Test resources closed in an {@code @AfterAll}, whichever of them the {@code @BeforeAll} got to start. */
public final class Resources {

    private Resources() {}

    /** Closes each resource that is not null, in order; a failure does not keep the others open. */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
