package io.onramp.gateway.store;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files that hold device keys in plain text (the H2 file, the journal, enrollment exports) and the directories
 * that hold them: readable by the user Onramp runs as only, directories 700 and files 600. On a file system
 * without POSIX permissions (Windows) nothing is changed: there the directory's ACL is the operator's to set.
 */
public final class OwnerOnly {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {}

    /** Creates {@code dir} mode 700 (and its missing parents); an existing directory is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        Files.createDirectories(dir, attributes(parent, DIRECTORY));
    }

    /** A new directory in {@code parent}, mode 700 from the start, named {@code prefix} and random characters. */
    public static Path createTempDirectory(Path parent, String prefix) throws IOException {
        return Files.createTempDirectory(parent, prefix, attributes(parent, DIRECTORY));
    }

    /** For creating a file mode 600 in {@code dir} from its first byte; none where permissions are not POSIX. */
    public static FileAttribute<?>[] newFile(Path dir) {
        return attributes(dir, FILE);
    }

    /** Sets {@code file} (an existing one, e.g. made by H2 or replaced by --force) to mode 600; the umask no matter. */
    public static void restrict(Path file) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, Files.isDirectory(file) ? DIRECTORY : FILE);
        }
    }

    /**
     * Opens {@code file} for writing text from its start: a new file is created mode 600; an existing one (replaced
     * on purpose) is set to 600 before a byte is written to it.
     */
    public static BufferedWriter newWriter(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), newFile(dir));
        try {
            restrict(file);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
    }

    /** True when a user other than the owner may read or enter {@code path}. */
    public static boolean openToOthers(Path path) throws IOException {
        if (!posix(path)) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        permissions.retainAll(OTHERS);
        return !permissions.isEmpty();
    }

    /**
     * Takes the group's and others' permissions off {@code path} and, for a directory, off everything under it.
     *
     * @return how many files and directories were changed
     */
    public static int tighten(Path path) throws IOException {
        if (!Files.exists(path) || !posix(path)) {
            return 0;
        }
        int changed = 0;
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path each : (Iterable<Path>) tree::iterator) {
                if (!Files.isSymbolicLink(each) && openToOthers(each)) {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(each);
                    permissions.removeAll(OTHERS);
                    Files.setPosixFilePermissions(each, permissions);
                    changed++;
                }
            }
        }
        return changed;
    }

    private static FileAttribute<?>[] attributes(Path where, Set<PosixFilePermission> permissions) {
        return where != null && posix(where)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    /** Asked of the file system, not of the path: a directory that is not there fails later, naming the file. */
    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
