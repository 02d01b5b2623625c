package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest
    @CsvSource({
            "index.html, text/html;charset=utf-8",
            "old.htm, text/html;charset=utf-8",
            "site.css, text/css;charset=utf-8",
            "app.js, text/javascript;charset=utf-8",
            "module.mjs, text/javascript;charset=utf-8",
            "data.json, application/json;charset=utf-8",
            "app.js.map, application/json;charset=utf-8",
            "site.webmanifest, application/manifest+json;charset=utf-8",
            "feed.xml, application/xml;charset=utf-8",
            "feed.rss, application/rss+xml;charset=utf-8",
            "feed.atom, application/atom+xml;charset=utf-8",
            "config.yaml, application/yaml;charset=utf-8",
            "config.yml, application/yaml;charset=utf-8",
            "robots.txt, text/plain;charset=utf-8",
            "README.md, text/markdown;charset=utf-8",
            "table.csv, text/csv;charset=utf-8",
            "events.ics, text/calendar;charset=utf-8",
            "logo.svg, image/svg+xml;charset=utf-8",
            "photo.png, image/png",
            "photo.jpg, image/jpeg",
            "photo.jpeg, image/jpeg",
            "anim.gif, image/gif",
            "photo.webp, image/webp",
            "photo.avif, image/avif",
            "favicon.ico, image/x-icon",
            "old.bmp, image/bmp",
            "font.woff, font/woff",
            "font.woff2, font/woff2",
            "font.ttf, font/ttf",
            "font.otf, font/otf",
            "font.eot, application/vnd.ms-fontobject",
            "module.wasm, application/wasm",
            "paper.pdf, application/pdf",
            "clip.mp4, video/mp4",
            "clip.webm, video/webm",
            "sound.ogg, audio/ogg",
            "song.mp3, audio/mpeg",
            "sound.wav, audio/wav",
            "song.m4a, audio/mp4",
            "bundle.zip, application/zip",
            "bundle.tar.gz, application/gzip",
            "app.js.br, application/x-brotli",
            "bundle.tar, application/x-tar",
    })
    void whenExtensionIsKnownThenItsType(String fileName, String type) {
        assertThat(MediaTypes.forFileName(fileName)).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INDEX.HTML", "Index.Html", "page.hTmL"})
    void whenExtensionIsInAnyCaseThenTheSameType(String fileName) {
        assertThat(MediaTypes.forFileName(fileName)).isEqualTo("text/html;charset=utf-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"program.exe", "data.bin", "Makefile", "trailing.", ".html", ".env", ""})
    void whenExtensionIsUnknownOrMissingThenOctetStream(String fileName) {
        assertThat(MediaTypes.forFileName(fileName)).isEqualTo(MediaTypes.DEFAULT).isEqualTo("application/octet-stream");
    }

    @ParameterizedTest
    @CsvSource({
            "index.html, true", "site.css, true", "app.js, true", "data.json, true", "site.webmanifest, true", "feed.xml, true",
            "logo.svg, true", "notes.txt, true", "module.wasm, true", "font.ttf, true", "font.otf, true", "font.eot, true",
            "photo.png, false", "photo.jpg, false", "photo.webp, false", "photo.avif, false", "favicon.ico, false", "anim.gif, false",
            "font.woff, false", "font.woff2, false", "clip.mp4, false", "song.mp3, false", "archive.zip, false", "archive.gz, false",
            "archive.br, false", "doc.pdf, false", "unknown.xyz, false", "noextension, false"})
    void whenTypeIsTextOrAnUncompressedBinaryThenCompressible(String fileName, boolean compressible) {
        assertThat(MediaTypes.isCompressible(MediaTypes.forFileName(fileName))).isEqualTo(compressible);
    }
}
