package dev.pier.files;

import dev.pier.handler.ErrorResponses;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contents of a folder without {@code index.html}, when {@code pier.directory-listing} is on:
 * a small responsive HTML page, or JSON for a client whose {@code Accept} prefers it. Folders come
 * first, then files, each sorted by name ignoring case; names the {@link DocRoot} would not serve
 * (hidden ones, unless hidden files are served) are left out, and so are symlinks leading out of
 * the root and anything neither file nor folder.
 *
 * <p>Names are HTML-escaped where shown and percent-encoded, segment by segment, where linked, so
 * {@code <script>}, {@code #}, {@code %} or {@code ?} in a name is text and a working link. Listing
 * runs on the event loop and stats every entry, so at most {@link #MAX_ENTRIES} entries are read;
 * the page says when there were more.
 */
@Slf4j
final class DirectoryListing {

    static final int MAX_ENTRIES = 10_000;

    private static final DateTimeFormatter SHOWN_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static final String PAGE_START = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Index of %1$s</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:3rem auto;padding:0 1rem;color:#1d2733}\
            h1{font-size:1.4rem;margin:0 0 1rem;overflow-wrap:anywhere}table{width:100%%;border-collapse:collapse}\
            th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e8ee}th{font-weight:600;color:#4a5868}\
            td.n{overflow-wrap:anywhere}td.s,td.d,th.s,th.d{white-space:nowrap;color:#4a5868}td.s,th.s{text-align:right}\
            a{color:#0b63c5;text-decoration:none}a:hover{text-decoration:underline}p{color:#8a96a3}\
            footer{margin-top:2rem;font-size:.85rem;color:#8a96a3}@media(max-width:36rem){td.d,th.d{display:none}}</style>
            </head><body><h1>Index of %1$s</h1>
            <table><thead><tr><th>Name</th><th class="s">Size</th><th class="d">Modified (UTC)</th></tr></thead><tbody>
            """;

    /** One entry as shown. */
    record Entry(String name, boolean directory, long size, Instant modified) {
    }

    /** What was read of a folder. */
    record Listing(List<Entry> entries, boolean truncated) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparing((Entry entry) -> !entry.directory())
            .thenComparing(Entry::name, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(Entry::name);

    private final DocRoot docRoot;
    private final int maxEntries;

    DirectoryListing(DocRoot docRoot) {
        this(docRoot, MAX_ENTRIES);
    }

    /** @param maxEntries the most entries read from one folder */
    DirectoryListing(DocRoot docRoot, int maxEntries) {
        this.docRoot = docRoot;
        this.maxEntries = maxEntries;
    }

    /** The listing as HTML or JSON; {@code null} if the folder cannot be read. */
    HttpResponse render(Resolution.Directory directory, HttpRequest request) {
        Listing listing;
        try {
            listing = read(directory.directory(), directory.path());
        } catch (IOException e) {
            log.debug("Could not list {}", directory.directory(), e);
            return null;
        }
        String path = directory.path().equals("/") ? "/" : directory.path() + "/";
        boolean json = request.acceptsJson();
        byte[] body = json ? json(path, listing) : html(path, listing, maxEntries).getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = HttpHeaders.builder()
                .add("Content-Type", json ? "application/json" : "text/html;charset=utf-8")
                // A listing changes whenever the folder does, and has no validator of its own.
                .add("Cache-Control", "no-cache")
                .build();
        return new HttpResponse(200, headers, ResponseBody.Bytes.of(body));
    }

    Listing read(Path directory, String path) throws IOException {
        List<Entry> entries = new ArrayList<>();
        boolean truncated = false;
        int seen = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                if (++seen > maxEntries) {
                    truncated = true;
                    break;
                }
                String name = child.getFileName().toString();
                if (docRoot.isPublishable(path, name)) {
                    Entry entry = entry(child, name);
                    if (entry != null) {
                        entries.add(entry);
                    }
                }
            }
        }
        entries.sort(ORDER);
        return new Listing(entries, truncated);
    }

    /** The entry as served: a symlink by its target if that lies in the root, else nothing. */
    private Entry entry(Path child, String name) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                Path real = child.toRealPath();
                if (!real.startsWith(docRoot.root())) {
                    return null;
                }
                attributes = Files.readAttributes(real, BasicFileAttributes.class);
            }
            if (!attributes.isDirectory() && !attributes.isRegularFile()) {
                return null;
            }
            return new Entry(name, attributes.isDirectory(), attributes.isDirectory() ? 0 : attributes.size(),
                    attributes.lastModifiedTime().toInstant());
        } catch (IOException | SecurityException e) {
            // Vanished, dangling or unreadable: not something to link to.
            return null;
        }
    }

    static String html(String path, Listing listing, int maxEntries) {
        StringBuilder page = new StringBuilder(512 + listing.entries().size() * 160);
        page.append(PAGE_START.formatted(ErrorResponses.escapeHtml(path)));
        if (!path.equals("/")) {
            page.append("<tr><td class=\"n\"><a href=\"../\">../</a></td><td class=\"s\"></td><td class=\"d\"></td></tr>\n");
        }
        for (Entry entry : listing.entries()) {
            String suffix = entry.directory() ? "/" : "";
            // "./" keeps a name with a colon from reading as a URL scheme, should the root ever serve one.
            page.append("<tr><td class=\"n\"><a href=\"./").append(encodeSegment(entry.name())).append(suffix).append("\">")
                    .append(ErrorResponses.escapeHtml(entry.name())).append(suffix).append("</a></td><td class=\"s\">")
                    .append(entry.directory() ? "" : readableSize(entry.size())).append("</td><td class=\"d\">")
                    .append(SHOWN_DATE.format(entry.modified())).append("</td></tr>\n");
        }
        page.append("</tbody></table>\n");
        if (listing.truncated()) {
            page.append("<p>Only the first ").append(maxEntries).append(" entries of this folder were read.</p>\n");
        }
        return page.append("<footer>Pier</footer></body></html>\n").toString();
    }

    static byte[] json(String path, Listing listing) {
        List<Map<String, Object>> entries = new ArrayList<>(listing.entries().size());
        for (Entry entry : listing.entries()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", entry.name());
            item.put("type", entry.directory() ? "directory" : "file");
            if (!entry.directory()) {
                item.put("size", entry.size());
            }
            item.put("modified", entry.modified().toString());
            item.put("href", encodeSegment(entry.name()) + (entry.directory() ? "/" : ""));
            entries.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", path);
        body.put("entries", entries);
        body.put("truncated", listing.truncated());
        return JsonMapper.shared().writeValueAsBytes(body);
    }

    /** Percent-encodes everything in a name's UTF-8 bytes but RFC 3986's unreserved characters. */
    static String encodeSegment(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }

    /** {@code 512 B}, {@code 1.5 KB}, {@code 12 MB}: binary units, one decimal below ten. */
    static String readableSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value < 10 ? String.format(Locale.ROOT, "%.1f", value) : Long.toString(Math.round(value))) + " " + units[unit];
    }
}
