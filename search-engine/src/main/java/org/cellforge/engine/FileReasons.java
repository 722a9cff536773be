package org.cellforge.engine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file could not be read or written, in words a user acts on. The JDK's exceptions carry only
 * the path as their message ({@code AccessDeniedException: /opt/x}), which repeats what the caller
 * names and leaves out the reason.
 */
public final class FileReasons {

    private FileReasons() {
    }

    /**
     * The reason of {@code e} for a message that names {@code named} already: the file the failure was
     * about is added only when it is another one (a parent directory, a file the operation needed).
     */
    public static String of(IOException e, Path named) {
        String reason = of(e);
        if (e instanceof FileSystemException f && f.getFile() != null && !sameFile(f.getFile(), named)) {
            return reason + " (" + f.getFile() + ")";
        }
        return reason;
    }

    private static boolean sameFile(String file, Path named) {
        try {
            return Path.of(file).toAbsolutePath().normalize().equals(named.toAbsolutePath().normalize());
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The reason of {@code e} alone, for a message that names the file the failure was about. */
    public static String of(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            case FileAlreadyExistsException f -> "a file of that name is in the way";
            case NotDirectoryException n -> "not a directory";
            case FileSystemException f when f.getReason() != null -> lower(f.getReason());
            default -> e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                    : lower(e.getMessage());
        };
    }

    /** "Is a directory", as the operating system says it, reads "is a directory" after a colon. */
    private static String lower(String reason) {
        return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
}
