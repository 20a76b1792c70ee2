package org.callbacks4j.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import org.callbacks4j.processor.model.ClassNames;

/**
 * The one funnel every generated file goes through: it marks the type {@code @Generated} (when the target release
 * has that annotation), records the originating element (which Gradle's incremental compilation needs: one per file)
 * and writes through the {@link Filer}.
 */
public final class SourceFileWriter {

    private final Filer filer;
    private final boolean generatedAvailable;

    public SourceFileWriter(Filer filer, Elements elements) {
        this.filer = filer;
        this.generatedAvailable = elements.getTypeElement(ClassNames.GENERATED.canonicalName()) != null;
    }

    /** The file as it will be written: {@code file} with the annotations every generated type carries. */
    public JavaFile finish(JavaFile file, TypeElement originating) {
        TypeSpec.Builder type = file.typeSpec().toBuilder().addOriginatingElement(originating);
        if (generatedAvailable) {
            // No date: the output must be the same on every build.
            type.addAnnotation(AnnotationSpec.builder(ClassNames.GENERATED)
                    .addMember("value", "$S", ClassNames.PROCESSOR)
                    .build());
        }
        return layout(file.packageName(), type.build());
    }

    /** The file-level layout of every generated file. */
    static JavaFile layout(String packageName, TypeSpec type) {
        return JavaFile.builder(packageName, type)
                .indent("    ")
                .skipJavaLangImports(true)
                .build();
    }

    public void write(JavaFile file, TypeElement originating) throws IOException {
        finish(file, originating).writeTo(filer);
    }
}
