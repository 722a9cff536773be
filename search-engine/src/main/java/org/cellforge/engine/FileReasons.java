package org.cellforge.engine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Why a file could not be read or written, in words a user acts on. The JDK's exceptions carry only
 * the path as their message ({@code AccessDeniedException: /opt/x}), which repeats what the caller
 * names and leaves out the reason.
 */
public final class FileReasons {

    private FileReasons() {
    }

    /** The reason of {@code e}, without the path: the caller says which file it was about. */
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
