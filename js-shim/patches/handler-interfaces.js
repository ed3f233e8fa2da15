// The interfaces whose prototypes own on* event handler accessors (the global object's own are
// found on it directly). A fixed list, because discovering them by walking every global
// constructor makes the engine create each of its ~1000 lazily built interface objects: that walk
// was most of the polyfill's start-up time. Names the platform lacks are skipped.
// tests/browser/fixtures/handler-interfaces.html runs the old walk in the browser and fails when
// it finds an owner this list misses; a new on* interface must be added here.
export const HANDLER_INTERFACES = (
  // DOM, HTML, SVG, MathML
  "Window Document Element HTMLElement HTMLBodyElement HTMLFrameSetElement HTMLMediaElement " +
  "HTMLVideoElement HTMLMarqueeElement SVGElement SVGAnimationElement MathMLElement ShadowRoot " +
  "HTMLCameraElement HTMLMicrophoneElement HTMLGeolocationElement HTMLUserMediaElement AbortSignal " +
  "TaskSignal Animation CloseWatcher EditContext FontFaceSet MediaQueryList Performance Screen " +
  "ScreenOrientation ScreenDetails VisualViewport VirtualKeyboard WindowControlsOverlay " +
  "DevicePosture Navigation NavigationHistoryEntry PictureInPictureWindow DocumentPictureInPicture " +
  "OffscreenCanvas TextTrack TextTrackCue TextTrackList VTTCue AudioTrackList VideoTrackList " +
  "Clipboard CaptureController CookieStore PermissionStatus NetworkInformation BatteryManager " +
  "Notification IdleDetector WakeLockSentinel Sensor LanguageModel CreateMonitor " +
  "NavigatorManagedData ApplePaySession " +
  // Networking, messaging, workers, storage
  "WorkerGlobalScope DedicatedWorkerGlobalScope SharedWorkerGlobalScope ServiceWorkerGlobalScope " +
  "XMLHttpRequestEventTarget XMLHttpRequest WebSocket EventSource MessagePort BroadcastChannel " +
  "Worker SharedWorker ServiceWorker ServiceWorkerContainer ServiceWorkerRegistration " +
  "BackgroundFetchRegistration FileReader IDBRequest IDBOpenDBRequest IDBTransaction IDBDatabase " +
  "WebTransport " +
  // Media, audio, WebRTC, codecs, EME
  "MediaSource ManagedMediaSource SourceBuffer ManagedSourceBuffer SourceBufferList MediaStream " +
  "MediaStreamTrack MediaRecorder MediaDevices MediaKeySession WebKitMediaKeySession " +
  "RemotePlayback BaseAudioContext AudioContext OfflineAudioContext AudioScheduledSourceNode " +
  "AudioWorkletNode ScriptProcessorNode AudioDecoder AudioEncoder VideoDecoder VideoEncoder " +
  "ImageTrack RTCPeerConnection RTCDataChannel RTCDTMFSender RTCDtlsTransport RTCIceTransport " +
  "RTCSctpTransport SpeechRecognition SpeechSynthesis SpeechSynthesisUtterance " +
  // Devices, payments, presentation, XR, GPU
  "Bluetooth BluetoothDevice BluetoothRemoteGATTCharacteristic BluetoothRemoteGATTService HID " +
  "HIDDevice Serial SerialPort USB MIDIAccess MIDIInput MIDIPort PaymentRequest PaymentResponse " +
  "PresentationAvailability PresentationConnection PresentationConnectionList PresentationRequest " +
  "XRSystem XRSession XRReferenceSpace XRLightProbe XRCompositionLayer XRCubeLayer XRCylinderLayer " +
  "XREquirectLayer XRQuadLayer GPUDevice"
).split(" ");
