package io.pprocess.examples.raytrace;

/**
 * A pinhole camera.
 *
 * @param eye where the camera is
 * @param target the point it looks at
 * @param up the rough up direction (need not be perpendicular to the view)
 * @param fieldOfViewDegrees the vertical field of view, in (0, 180)
 */
public record Camera(Vec3 eye, Vec3 target, Vec3 up, double fieldOfViewDegrees) implements java.io.Serializable {

    /**
     * Checks the arguments.
     *
     * @param eye where the camera is
     * @param target the point it looks at
     * @param up the rough up direction (need not be perpendicular to the view)
     * @param fieldOfViewDegrees the vertical field of view, in (0, 180)
     * @throws IllegalArgumentException naming the first invalid value, or if the camera looks
     *     straight along {@code up}
     */
    public Camera {
        Scene.require(eye.isFinite(), "eye", eye);
        Scene.require(target.isFinite() && !target.equals(eye), "target (a point other than the eye)", target);
        Scene.require(up.isFinite(), "up", up);
        Scene.require(fieldOfViewDegrees > 0 && fieldOfViewDegrees < 180, "fieldOfViewDegrees", fieldOfViewDegrees);
        Vec3 forward = target.minus(eye);
        Scene.require(forward.cross(up).length() > 1e-9 * forward.length() * up.length(),
                "up (a direction not parallel to the view)", up);
    }
}
