-- Neuromanifold: the Macaulay2 side of the neuromanifold pipeline.
-- Python writes a JSON job, runs `M2 --script m2/scripts/<entry>.m2 in.json out.json`,
-- and reads the JSON result. Exact values travel as strings (toJSON turns rationals
-- into floats).
newPackage(
    "Neuromanifold",
    Version => "0.1.0",
    Date => "2026-11-27",
    Headline => "JSON jobs, function-space coordinates and image invariants for the neuromanifold pipeline",
    Authors => {{Name => "neuromanifold developers"}},
    PackageImports => {"JSON"},
    PackageExports => {"NumericalImplicitization"},
    DebuggingMode => false
    )

export {
    "jobFiles",
    "readJob",
    "writeResult",
    "jobPolynomials",
    "imageDimension",
    "countPoints"
    }

-- The two file names after the entry script on the command line.
jobFiles = () -> (
    args := select(scriptCommandLine, a -> match("\\.json$", a));
    if #args < 2 then error "usage: M2 --script <entry>.m2 in.json out.json";
    (args#0, args#1))

readJob = method()
readJob String := HashTable => fileName -> fromJSON get fileName

writeResult = method()
writeResult(String, HashTable) := (fileName, result) -> (
    fileName << toJSON result << endl << close;
    fileName)

-- The coordinate polynomials of a job: "nvars" variables t_0..t_(n-1), "polynomials" as strings.
jobPolynomials = method(Options => {CoefficientRing => QQ})
jobPolynomials HashTable := opts -> job -> (
    n := job#"nvars";
    t := getSymbol "t";
    R := (opts.CoefficientRing)[t_0 .. t_(n - 1)];
    use R;
    apply(job#"polynomials", s -> sub(value s, R)))

-- Dimension of the closure of the image of F : A^n -> A^m, numerically
-- (NumericalImplicitization's numericalImageDim at a random point).
imageDimension = method()
imageDimension List := ZZ => F -> (
    R := ring first F;
    if not instance(coefficientRing R, InexactField) then (
        S := CC(monoid R);
        phi := map(S, R, gens S);
        F = apply(F, f -> phi f);
        R = S);
    numericalImageDim(F, ideal(0_R)))

-- (dim, degree) of the ideal of F: for dim 0, degree is the number of points with multiplicity.
countPoints = method()
countPoints List := Sequence => F -> (
    I := ideal F;
    d := dim I;
    (d, if d == 0 then degree I else -1))

beginDocumentation()

doc ///
    Key
        Neuromanifold
    Headline
        the Macaulay2 side of the neuromanifold pipeline
    Description
        Text
            Entry scripts in @TT "m2/scripts"@ read a JSON job, compute, and write a JSON
            result. Coordinates of a network function are polynomials in the
            parameters @TT "t_0..t_(n-1)"@, passed as strings.
        Example
            F = jobPolynomials hashTable {"nvars" => 3, "polynomials" => {"t_0*t_2", "t_1*t_2"}}
            imageDimension F
///

doc ///
    Key
        jobPolynomials
        (jobPolynomials, HashTable)
    Headline
        the coordinate polynomials of a JSON job
    Usage
        F = jobPolynomials job
    Inputs
        job:HashTable
            with keys "nvars" and "polynomials" (strings in t_0..t_(n-1))
    Outputs
        F:List
            of polynomials in a new ring over the CoefficientRing option (QQ)
///

doc ///
    Key
        imageDimension
        (imageDimension, List)
    Headline
        numerical dimension of the image of a polynomial map
    Usage
        d = imageDimension F
    Inputs
        F:List
            polynomials on an affine parameter space
    Outputs
        d:ZZ
            the dimension of the Zariski closure of the image, numerically
///

TEST ///
    setRandomSeed 1
    -- 2 x 2 matrices of rank <= 1: a linear network 2 -> 1 -> 2, image dimension 3
    F = jobPolynomials hashTable {"nvars" => 4, "polynomials" => {"t_0*t_2", "t_1*t_2", "t_0*t_3", "t_1*t_3"}}
    assert(imageDimension F == 3)
///

doc ///
    Key
        countPoints
        (countPoints, List)
    Headline
        dimension and degree of a system of equations
    Usage
        (d, n) = countPoints F
    Inputs
        F:List
            polynomials
    Outputs
        :Sequence
            the Krull dimension d of the quotient ring and, when d is 0, the number n of
            points over the algebraic closure counted with multiplicity (else -1)
///

TEST ///
    setRandomSeed 3
    R = ZZ/101[x, y]
    assert(countPoints {x^2 - 2, y^3 - x} == (0, 6))
    assert((countPoints {x*y - 1})#0 == 1)
///

TEST ///
    setRandomSeed 2
    -- the JSON round trip keeps strings exact
    f = temporaryFileName() | ".json"
    writeResult(f, hashTable {"value" => toString(1/3)})
    assert((readJob f)#"value" == "1/3")
///

end--
