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
    PackageImports => {"JSON", "MinimalPrimes"},
    PackageExports => {"NumericalImplicitization"},
    DebuggingMode => false
    )

export {
    "jobFiles",
    "readJob",
    "writeResult",
    "jobPolynomials",
    "imageDimension",
    "countPoints",
    "implicitIdeal",
    "imageDegreeNumerical",
    "Gauge",
    "singularPrimes"
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

-- Implicit ideal of the image of F, in new variables c_1..c_s; with Weights => {deg F_i},
-- the graph ring is graded (parameters of degree 1, c_i of degree deg F_i) so that the
-- elimination is homogeneous.
implicitIdeal = method(Options => {Weights => null})
implicitIdeal List := Ideal => opts -> F -> (
    R := ring first F;
    n := numgens R;
    s := #F;
    k := coefficientRing R;
    c := getSymbol "c";
    t := getSymbol "t";
    degs := if opts.Weights === null then toList(n + s : 1) else toList(n : 1) | opts.Weights;
    G := k[t_0 .. t_(n - 1), c_1 .. c_s, Degrees => degs, MonomialOrder => Eliminate n];
    phi := map(G, R, take(gens G, n));
    graph := ideal apply(s, i -> G_(n + i) - phi(F#i));
    S := k[c_1 .. c_s, Degrees => drop(degs, n)];
    psi := map(S, G, toList(n : 0_S) | gens S);
    trim psi ideal selectInSubring(1, gens gb graph))

-- (degree, complete) of the image closure of F by monodromy (numericalImageDegree);
-- complete is the trace-test verdict of the pseudo-witness set. The variables listed in
-- Gauge (indices) are first set to random points of the unit circle, so that the gauged
-- map stays well scaled: fixed at integers such as 38, the gauge gives coefficients near
-- 10^15 in degree-9 coordinates, and then the path tracking fails.
imageDegreeNumerical = method(Options => {Gauge => {}})
imageDegreeNumerical List := Sequence => opts -> F -> (
    R := ring first F;
    free := select(toList(0 .. numgens R - 1), i -> not member(i, opts.Gauge));
    if #free == 0 then error "imageDegreeNumerical: every variable is in Gauge; leave at least one free";
    s := getSymbol "s";
    S := CC[s_0 .. s_(#free - 1)];
    values := new MutableList from toList(numgens R : 0_S);
    scan(#free, k -> values#(free#k) = S_k);
    scan(opts.Gauge, i -> values#i = exp(2 * pi * ii * random RR));
    phi := map(S, R, toList values);
    W := pseudoWitnessSet(matrix{apply(F, f -> phi f)}, ideal(0_S), Verbose => false);
    (W.degree, W.isCompletePseudoWitnessSet))

-- Minimal primes of the singular locus of V(I), I of codimension c, by the Jacobian
-- criterion: I + the c x c minors of the Jacobian, whose generators (columns) are first
-- mixed down to the number of variables by a random matrix when there are more of them.
-- Each prime comes with its dimension and degree (of the projective closure).
singularPrimes = method()
singularPrimes(Ideal, ZZ) := List => (I, c) -> (
    R := ring I;
    J := jacobian I;
    if numcols J > numgens R then J = J * random(R^(numcols J), R^(numgens R));
    apply(minimalPrimes(I + minors(c, J, Strategy => Cofactor)), P -> (dim P, degree P, P)))

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

doc ///
    Key
        implicitIdeal
        (implicitIdeal, List)
        [implicitIdeal, Weights]
    Headline
        implicit equations of the image of a polynomial map
    Usage
        I = implicitIdeal(F, Weights => w)
    Inputs
        F:List
            polynomials in the parameters
        Weights => List
            the degrees of the F_i, to grade the elimination (or null)
    Outputs
        I:Ideal
            in new variables c_1..c_s, the ideal of the closure of the image
///

TEST ///
    setRandomSeed 4
    -- 2 x 2 matrices of rank <= 1 parametrized by a linear network 2 -> 1 -> 2
    R = QQ[t_0 .. t_3]
    I = implicitIdeal({t_0*t_2, t_1*t_2, t_0*t_3, t_1*t_3}, Weights => {2, 2, 2, 2})
    S = ring I
    assert(numgens I == 1)
    assert(I == ideal(S_1*S_2 - S_0*S_3))
///

doc ///
    Key
        imageDegreeNumerical
        (imageDegreeNumerical, List)
        [imageDegreeNumerical, Gauge]
        Gauge
    Headline
        degree of the image of a polynomial map by monodromy
    Usage
        (d, witnessComplete) = imageDegreeNumerical(F, Gauge => {i, ...})
    Inputs
        F:List
            polynomials on an affine parameter space
        Gauge => List
            indices of variables to set to random points of the unit circle first
    Outputs
        :Sequence
            the degree of the closure of the image and whether the pseudo-witness set
            passed the trace test
///

TEST ///
    setRandomSeed 5
    R = QQ[t_0 .. t_3]
    (d, witnessComplete) = imageDegreeNumerical {t_0*t_2, t_1*t_2, t_0*t_3, t_1*t_3}
    assert(witnessComplete and d == 2)
    (d, witnessComplete) = imageDegreeNumerical({t_0*t_2, t_1*t_2, t_0*t_3, t_1*t_3}, Gauge => {0})
    assert(witnessComplete and d == 2)
    -- t_0, t_1 fixed: (t_2, t_3) -> (a t_2, b t_2, a t_3, b t_3) is a plane, degree 1, only if the gauge is applied
    (d, witnessComplete) = imageDegreeNumerical({t_0*t_2, t_1*t_2, t_0*t_3, t_1*t_3}, Gauge => {0, 1})
    assert(witnessComplete and d == 1)
///

doc ///
    Key
        singularPrimes
        (singularPrimes, Ideal, ZZ)
    Headline
        minimal primes of the singular locus by the Jacobian criterion
    Usage
        L = singularPrimes(I, c)
    Inputs
        I:Ideal
            a prime ideal
        c:ZZ
            its codimension
    Outputs
        L:List
            of triples (dimension, degree, prime ideal), one per minimal prime of I + the
            c x c minors of the Jacobian
///

TEST ///
    setRandomSeed 6
    -- 3 x 3 determinant: singular along the 3 x 3 matrices of rank <= 1 (dim 5, degree 6)
    R = ZZ/32003[x_1 .. x_9]
    I = ideal det genericMatrix(R, 3, 3)
    assert(apply(singularPrimes(I, 1), t -> take(t, 2)) == {(5, 6)})
///

TEST ///
    setRandomSeed 2
    -- the JSON round trip keeps strings exact
    f = temporaryFileName() | ".json"
    writeResult(f, hashTable {"value" => toString(1/3)})
    assert((readJob f)#"value" == "1/3")
///

end--
