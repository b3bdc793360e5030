package io.pprocess.examples.raytrace;

/**
 * How a surface answers light: a shader for its colour, Lambertian (diffuse) and Phong
 * (specular) reflection, and mirror reflection.
 *
 * @param shader the surface colour
 * @param diffuse the weight of diffuse light, in [0, 1]
 * @param specular the weight of specular highlights, in [0, 1]
 * @param shininess the Phong exponent of the highlights, at least 1
 * @param reflectivity the weight of the mirrored scene, in [0, 1]
 */
public record Material(Shader shader, double diffuse, double specular, double shininess, double reflectivity)
        implements java.io.Serializable {

    /**
     * Checks the arguments.
     *
     * @param shader the surface colour
     * @param diffuse the weight of diffuse light, in [0, 1]
     * @param specular the weight of specular highlights, in [0, 1]
     * @param shininess the Phong exponent of the highlights, at least 1
     * @param reflectivity the weight of the mirrored scene, in [0, 1]
     * @throws IllegalArgumentException naming the first value out of range
     * @throws NullPointerException if {@code shader} is null
     */
    public Material {
        if (shader == null) {
            throw new NullPointerException("shader == null");
        }
        Scene.require(diffuse >= 0 && diffuse <= 1, "diffuse", diffuse);
        Scene.require(specular >= 0 && specular <= 1, "specular", specular);
        Scene.require(shininess >= 1 && Double.isFinite(shininess), "shininess", shininess);
        Scene.require(reflectivity >= 0 && reflectivity <= 1, "reflectivity", reflectivity);
    }
}
