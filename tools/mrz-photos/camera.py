"""A pinhole phone camera looking at a document lying on a table.

The document's frame: X right, Y down (as printed), in mm from the page centre, Z towards the table (a surface
bent towards the camera has negative Z). The camera's frame: x right, y down, z forward. A point P maps to
R @ P + T and projects to (f x/z + cx, f y/z + cy). Perspective comes from a real pose (tilt about an axis in the
page plane, roll in it), not from an arbitrary homography, so keystone and scale agree with a lens of the chosen
field of view."""
import math

import numpy as np


def rotation(axis, angle):
    a = np.asarray(axis, np.float64)
    a = a / np.linalg.norm(a)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + math.sin(angle) * k + (1 - math.cos(angle)) * (k @ k)


class Camera:
    def __init__(self, width, height, hfov_deg, R, T, bend=None):
        self.w, self.h = width, height
        self.f = (max(width, height) / 2) / math.tan(math.radians(hfov_deg) / 2)
        self.cx, self.cy = width / 2, height / 2
        self.R = np.asarray(R, np.float64)
        self.T = np.asarray(T, np.float64)
        self.bend = bend  # function Y(mm) -> Z(mm), vectorised; None = flat

    def z_of(self, Y):
        return np.zeros_like(Y) if self.bend is None else self.bend(Y)

    def project(self, X, Y):
        """Document points (mm) -> photo pixels (continuous; the image spans [0, w] x [0, h])."""
        X = np.asarray(X, np.float64)
        Y = np.asarray(Y, np.float64)
        P = np.stack([X, Y, self.z_of(Y)], -1) @ self.R.T + self.T
        return np.stack([self.f * P[..., 0] / P[..., 2] + self.cx, self.f * P[..., 1] / P[..., 2] + self.cy], -1)

    def unproject(self, u, v, iterations=4):
        """Photo pixels -> document points (mm) on the (possibly bent) surface: the ray meets the plane Z = c,
        then c follows the bend at the point found (converges in a few steps for gentle bends)."""
        u = np.asarray(u, np.float64).ravel()
        v = np.asarray(v, np.float64).ravel()
        d = np.stack([(u - self.cx) / self.f, (v - self.cy) / self.f, np.ones_like(u)], -1)
        r1, r2, r3 = self.R[:, 0], self.R[:, 1], self.R[:, 2]
        c = np.zeros_like(u)
        for _ in range(iterations if self.bend is not None else 1):
            A = np.empty((u.size, 3, 3))
            A[:, :, 0] = r1
            A[:, :, 1] = r2
            A[:, :, 2] = -d
            b = -(self.T[None, :] + c[:, None] * r3[None, :])
            sol = np.linalg.solve(A, b[..., None])[..., 0]
            X, Y = sol[:, 0], sol[:, 1]
            if self.bend is not None:
                c = self.bend(Y)
        return X, Y

    def homography_doc_to_photo(self):
        """For a flat document: 3x3 H with [u v 1] ~ H [X Y 1]."""
        K = np.array([[self.f, 0, self.cx], [0, self.f, self.cy], [0, 0, 1]])
        return K @ np.column_stack([self.R[:, 0], self.R[:, 1], self.T])
