package org.callbacks4j.processor.validation;

import javax.lang.model.element.TypeElement;
import org.callbacks4j.processor.validation.MetricCatalog.Site;

/** A class-level policy annotation and the class that declares it. */
record Declared(TypeElement declaring, Attributes attributes, String display) {

    Site site(String attribute) {
        return new Site(declaring, attributes.mirror(), attributes.explicit(attribute), display);
    }
}
