package dev.pier.config;

import dev.pier.files.InvalidDocumentRootException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a document root that cannot be served. */
class InvalidDocumentRootFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDocumentRootException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidDocumentRootException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set pier.document-root (or the PIER_DOCUMENT_ROOT environment variable) to a readable folder.", cause);
    }
}
